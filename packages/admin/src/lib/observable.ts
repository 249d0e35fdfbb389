/** Something a view can watch: `subscribe` returns the function that stops watching. */
export interface Observable {
  subscribe(listener: () => void): () => void;
}

/**
 * Base of the headless stores: holds listeners and tells them, at most once per microtask, that
 * something changed. Views then read the store's getters; there are no events to keep in sync.
 */
export class Notifier implements Observable {
  private readonly listeners = new Set<() => void>();
  private scheduled = false;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Schedules one notification for every change made in the current task. */
  protected changed(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      for (const listener of [...this.listeners]) listener();
    });
  }
}

/** The delay before reconnect attempt `attempt` (0-based): doubling from `min` up to `max`, ±50 % jitter. */
export function backoffDelay(attempt: number, min: number, max: number, random: () => number = Math.random): number {
  const base = Math.min(max, min * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.5 + random()));
}

/** A short random id for client message ids (`[A-Za-z0-9_-]`). */
export function randomId(prefix = 'a'): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return prefix + Array.from(bytes, (b) => (b % 36).toString(36)).join('');
}
