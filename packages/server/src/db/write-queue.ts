import type { PendingStatement } from './step.js';

/**
 * The write path, on either dialect: every write queued during one turn of the event loop commits
 * in one transaction, and each caller's promise settles only after that commit. A write's work is
 * a generator of steps (`function* () { yield* insert.run(row); }`) or a single step; it must be
 * safe to run twice when a neighbour in its batch fails, and what must wait for the commit goes
 * in `afterCommit`.
 */
export interface WriteQueue {
  run<T>(work: () => Iterable<PendingStatement, T, unknown>, options?: WriteOptions): Promise<T>;
  run<T>(work: () => T, options?: WriteOptions): Promise<T>;
  /** Inside a write's work: runs `callback` once that write has committed (never after a rollback). */
  afterCommit(callback: () => void): void;
  /** Runs before each batch, with no transaction open. */
  beforeBatch: (() => void) | undefined;
  /** Transactions committed so far (for metrics and tests). */
  readonly commits: number;
  /** Commits what is queued now. */
  flush(): void;
  /** Commits what is queued and refuses new writes; resolves once the last batch has settled. */
  close(): void | Promise<void>;
}

/** What a write tells the queue besides its work. */
export interface WriteOptions {
  /**
   * The conversation whose row the write locks (PostgreSQL). A batch locks all its writes' rows
   * first, in id order, so two nodes' batches never wait on each other in a circle.
   */
  lock?: string | undefined;
}

/** How a queued write ended, kept until its batch has committed. */
export type WriteOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A write waiting in a queue's batch. */
export interface PendingWrite {
  work: () => unknown;
  /** The conversation row it locks (see `WriteOptions.lock`). */
  lock?: string | undefined;
  resolve: (value: any) => void;
  reject: (error: unknown) => void;
  outcome?: WriteOutcome;
  /** What the write asked to run once it has committed (see `afterCommit`). */
  committed?: Array<() => void> | undefined;
}

/**
 * Runs a committed write's `afterCommit` callbacks. They only update memory; one that throws must
 * not leave other callers unsettled, and what it mirrors is read again on a miss.
 */
export function runCommitted(callbacks: Array<() => void>): void {
  for (const callback of callbacks) {
    try {
      callback();
    } catch {
      // Ignored: the write is committed.
    }
  }
}
