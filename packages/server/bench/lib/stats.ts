/** Latency figures in milliseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

/**
 * Collects latency samples (milliseconds) and summarises them with exact percentiles. A run of a
 * few hundred thousand samples sorts in a few milliseconds, so no histogram approximation is needed.
 */
export class Latencies {
  private samples = new Float64Array(1 << 16);
  private length = 0;

  add(ms: number): void {
    if (this.length === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.length++] = ms;
  }

  /** Forgets every sample (after a warm-up). */
  reset(): void {
    this.length = 0;
  }

  /** The samples so far, in the order they came. */
  values(): Float64Array {
    return this.samples.subarray(0, this.length);
  }

  get count(): number {
    return this.length;
  }

  summary(): LatencySummary {
    const sorted = this.samples.slice(0, this.length).sort();
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : 0);
    let sum = 0;
    for (const value of sorted) sum += value;
    return {
      count: sorted.length,
      mean: round(sorted.length ? sum / sorted.length : 0),
      p50: round(at(0.5)),
      p99: round(at(0.99)),
      p999: round(at(0.999)),
      max: round(sorted.length ? sorted[sorted.length - 1]! : 0),
    };
  }
}

/** Rounds to three significant decimals, enough for milliseconds and ratios. */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** The median of some figures (the mean of the middle two for an even count); NaN for none. */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
