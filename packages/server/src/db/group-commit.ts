import type SQLite from 'better-sqlite3';
import { probes } from '../core/probes.js';
import { isWork, runNow, type PendingStatement } from './step.js';
import { addTo, batchTails, runCommitted, type BatchTail, type PendingWrite, type WriteOptions, type WriteQueue } from './write-queue.js';

/**
 * Group commit: every write queued during one turn of the event loop runs in a single SQLite
 * transaction, and each caller's promise settles only after that transaction commits. So an
 * acknowledgement sent when the promise resolves is a promise kept: the write is in the WAL.
 *
 * A batch first runs as plain statements in one transaction. Only when a write throws is the
 * batch rolled back and run again with each write in its own savepoint, so the failing write
 * rolls back alone and rejects only its own caller while the rest commits. Failures are rare;
 * two savepoint statements per write on every batch would cost more than the writes.
 * Writes must therefore be safe to run twice when a neighbour fails (SQL, or JS that only
 * assigns what the SQL returned); what must wait for the commit goes in `afterCommit`.
 *
 * @example const id = await writes.run(() => insertMessage.run(row).lastInsertRowid);
 */
export class GroupCommit implements WriteQueue {
  private queue: PendingWrite[] = [];
  private scheduled = false;
  private closed = false;
  private readonly commitBatch: SQLite.Transaction<(batch: PendingWrite[]) => void>;
  private readonly commitIsolated: SQLite.Transaction<(batch: PendingWrite[]) => void>;
  private readonly runTail: SQLite.Transaction<(tail: BatchTail<unknown>, state: unknown) => void>;
  /** The write whose work is running now (for `afterCommit`). */
  private running: PendingWrite | undefined;
  /** Transactions committed so far (for metrics and tests). */
  commits = 0;

  /** Runs before each batch, with no transaction open (the WAL's catch-up checkpoint). */
  beforeBatch: (() => void) | undefined;

  constructor(sqlite: SQLite.Database) {
    // better-sqlite3 transaction functions are made once: wrapping each batch anew costs more than a write.
    this.commitBatch = sqlite.transaction((batch: PendingWrite[]) => {
      for (const item of batch) {
        try {
          item.outcome = { ok: true, value: this.runWork(item) };
        } catch (error) {
          // Kept so the isolated run rejects this write without running it again.
          item.outcome = { ok: false, error };
          throw error;
        }
      }
      this.runTails(batch);
    });
    // Called inside the batch's transaction, a transaction function runs as a savepoint.
    const runInSavepoint = sqlite.transaction((item: PendingWrite) => this.runWork(item));
    this.commitIsolated = sqlite.transaction((batch: PendingWrite[]) => {
      for (const item of batch) {
        if (item.outcome && !item.outcome.ok) continue;
        try {
          item.outcome = { ok: true, value: runInSavepoint(item) };
        } catch (error) {
          item.outcome = { ok: false, error };
        }
      }
      this.runTails(batch);
    });
    // Inside the batch's transaction too: a savepoint, undone alone when the tail fails.
    this.runTail = sqlite.transaction((tail: BatchTail<unknown>, state: unknown) => {
      const work = tail.finish(state);
      if (work) runNow(work);
    });
  }

  /** Runs the batch's tails (see `addToBatch`), each in a savepoint; one that fails is undone and told. */
  private runTails(batch: PendingWrite[]): void {
    for (const { tail, state } of batchTails(batch)) {
      try {
        this.runTail(tail, state);
      } catch (error) {
        tail.failed(error);
      }
    }
  }

  /**
   * Queues `work` for the next batch; resolves with its result after commit. The work is a
   * generator of steps (`yield* query.run(values)`), a single step, or a function that runs
   * SQLite statements directly; on SQLite all of it runs synchronously inside the transaction.
   */
  run<T>(work: () => Iterable<PendingStatement, T, unknown>, options?: WriteOptions): Promise<T>;
  run<T>(work: () => T, options?: WriteOptions): Promise<T>;
  // `options.lock` is for PostgreSQL: one process holds SQLite's write lock for the whole batch.
  run<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The database is closing'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Inside a write's work: runs `callback` once that write has committed, just before its caller's
   * promise settles. It never runs for a write that rolled back, and a write run again (the slow
   * path) starts with none, so memory that mirrors the database learns only what committed.
   *
   * @example writes.run(() => { insert.run(row); writes.afterCommit(() => cache.set(row.id, row)); });
   */
  afterCommit(callback: () => void): void {
    const item = this.running;
    if (!item) throw new Error('afterCommit is only for use inside a write');
    (item.committed ??= []).push(callback);
  }

  addToBatch<S>(tail: BatchTail<S>, add: (state: S) => void): void {
    addTo(this.running, tail, add);
  }

  private runWork(item: PendingWrite): unknown {
    item.committed = undefined;
    item.added = undefined;
    this.running = item;
    try {
      const result = item.work();
      return isWork(result) ? runNow(result) : result;
    } finally {
      this.running = undefined;
    }
  }

  /** Commits whatever is queued now. Runs by itself once per event-loop turn, and on shutdown. */
  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    this.beforeBatch?.();
    const started = probes.batch.hasSubscribers ? performance.now() : 0;
    try {
      try {
        // IMMEDIATE takes the write lock first: another process writing (the CLI) is waited for,
        // instead of failing a batch that read before its commit and writes after it.
        this.commitBatch.immediate(batch);
      } catch (error) {
        // No write failed: the commit itself did (disk full, I/O error). Nothing was stored.
        if (!batch.some((item) => item.outcome && !item.outcome.ok)) throw error;
        this.commitIsolated.immediate(batch);
      }
      this.commits++;
      if (started) probes.batch.publish({ size: batch.length, ms: performance.now() - started });
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    for (const item of batch) {
      const outcome = item.outcome!;
      if (outcome.ok) {
        if (item.committed) runCommitted(item.committed);
        item.resolve(outcome.value);
      } else item.reject(outcome.error);
    }
  }

  /** Commits what is queued and refuses new writes. */
  close(): void {
    this.flush();
    this.closed = true;
  }
}
