import type { PendingStatement } from './step.js';

/**
 * The write path, on either dialect: every write queued during one turn of the event loop commits
 * in one transaction, and each caller's promise settles only after that commit. A write's work is
 * a generator of steps (`function* () { yield* insert.run(row); }`) or a single step; it must be
 * safe to run twice when a neighbour in its batch fails, and what must wait for the commit goes
 * in `afterCommit`.
 */
export interface WriteQueue {
  run<T>(work: () => Iterable<PendingStatement, T, unknown>): Promise<T>;
  run<T>(work: () => T): Promise<T>;
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
