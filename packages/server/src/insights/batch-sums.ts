import type { CountRows, SummedCounts } from './summed-counts.js';

/** A quarter hour's bucket, and the UTC day row that also counts it (see `dayRow` in the recorder). */
type DayOf = (bucket: number) => number;

/**
 * A batch's funnel counts while its writes run: company → flow → quarter hour → step →
 * `[reached, stopped]`. Adding walks nested maps, so a turn builds no key string and no key array
 * (under load most turns of a batch add to rows already there); the rows to store, with each
 * quarter hour's UTC day row beside it, are made once per batch by {@link FunnelSums.rows}.
 */
export class FunnelSums {
  private readonly companies = new Map<string, Map<string, Map<number, Map<string, [number, number]>>>>();

  /** Adds to a step's counts in a quarter hour. */
  add(companyId: string, flowId: string, bucket: number, step: string, reached: number, stopped: number): void {
    let flows = this.companies.get(companyId);
    if (!flows) this.companies.set(companyId, (flows = new Map()));
    let buckets = flows.get(flowId);
    if (!buckets) flows.set(flowId, (buckets = new Map()));
    let steps = buckets.get(bucket);
    if (!steps) buckets.set(bucket, (steps = new Map()));
    const counts = steps.get(step);
    if (counts) {
      counts[0] += reached;
      counts[1] += stopped;
    } else steps.set(step, [reached, stopped]);
  }

  /** True when nothing was added. */
  get empty(): boolean {
    return this.companies.size === 0;
  }

  /** The rows to store in `counts` (keys: company, flow, bucket, step): each quarter hour's, and its day's. */
  rows(counts: SummedCounts, dayOf: DayOf): CountRows {
    const rows: CountRows = new Map();
    for (const [companyId, flows] of this.companies)
      for (const [flowId, buckets] of flows)
        for (const [bucket, steps] of buckets) {
          const day = dayOf(bucket);
          for (const [step, [reached, stopped]] of steps) {
            if (reached === 0 && stopped === 0) continue;
            counts.add(rows, [companyId, flowId, bucket, step], [reached, stopped]);
            counts.add(rows, [companyId, flowId, day, step], [reached, stopped]);
          }
        }
    return rows;
  }
}

/**
 * A batch's outcome counts while its writes run: company → quarter hour → the counters (in the
 * counts table's column order). Like {@link FunnelSums}, adding builds no key.
 */
export class OutcomeSums {
  private readonly companies = new Map<string, Map<number, number[]>>();

  constructor(private readonly width: number) {}

  /** Adds `delta` to the counter at `index` of a company's quarter hour. */
  add(companyId: string, bucket: number, index: number, delta: number): void {
    this.counters(companyId, bucket)[index]! += delta;
  }

  /** Adds `deltas` (every counter, in order) to a company's quarter hour. */
  addAll(companyId: string, bucket: number, deltas: readonly number[]): void {
    const counters = this.counters(companyId, bucket);
    for (let i = 0; i < deltas.length; i++) counters[i]! += deltas[i]!;
  }

  /** True when nothing was added. */
  get empty(): boolean {
    return this.companies.size === 0;
  }

  /** The rows to store in `counts` (keys: company, bucket), leaving out those that sum to nothing. */
  rows(counts: SummedCounts): CountRows {
    const rows: CountRows = new Map();
    for (const [companyId, buckets] of this.companies)
      for (const [bucket, counters] of buckets) if (counters.some((n) => n !== 0)) counts.add(rows, [companyId, bucket], counters);
    return rows;
  }

  private counters(companyId: string, bucket: number): number[] {
    let buckets = this.companies.get(companyId);
    if (!buckets) this.companies.set(companyId, (buckets = new Map()));
    let counters = buckets.get(bucket);
    if (!counters) buckets.set(bucket, (counters = new Array<number>(this.width).fill(0)));
    return counters;
  }
}
