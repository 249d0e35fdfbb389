import type pg from 'pg';
import { probes } from '../core/probes.js';
import { runSideBySide, setPipeline } from './pipelined-writes.js';
import { isWork, type PendingStatement } from './step.js';
import { addTo, batchTails, runCommitted, type BatchTail, type PendingWrite, type WriteOptions, type WriteQueue } from './write-queue.js';

/** Batches committing at once on one node, each on its own connection (see `take`). */
const MAX_BATCHES_IN_FLIGHT = 2;

/** Locks the rows of a batch's conversations in id order (raw SQL: one fixed statement, no Kysely on the write connection). */
const LOCK_ROWS = { name: 'parley_lock_conversations', text: 'SELECT id FROM conversations WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE' };

/** The distinct conversation rows a batch's writes lock, sorted; undefined when none. */
function rowsToLock(batch: PendingWrite[]): string[] | undefined {
  let ids: Set<string> | undefined;
  for (const item of batch) if (item.lock) (ids ??= new Set()).add(item.lock);
  return ids ? [...ids].sort() : undefined;
}

/**
 * The group commit on PostgreSQL: the writes queued during one event-loop turn run in one
 * transaction on one pooled connection, side by side in pipeline mode (a conversation's writes in
 * turn, see `runSideBySide`), and each caller's promise settles after the COMMIT. Batches grow
 * with the load instead of the transaction count.
 *
 * Two batches commit at once, each on its own connection, so the node prepares and answers one
 * while PostgreSQL works on the other (one batch at a time left each side idle half the time). A
 * conversation is in one batch at a time: its next write waits for the batch in flight that holds
 * it, so its writes, seqs and in-memory state still move one commit after the other. A write that
 * names no conversation may touch any row: it runs only with no other batch in flight, and none
 * starts beside it.
 *
 * Before its writes run, a batch locks the conversation rows they name (`WriteOptions.lock`) in id
 * order, so batches of several nodes touching the same conversations queue instead of deadlocking.
 *
 * As on SQLite, a batch first runs without savepoints; when a write fails, the batch is rolled back
 * and run again with each write in a savepoint of its own, so only the failing write rejects. When
 * the COMMIT itself fails (the connection dropped), its outcome is unknown: every caller is
 * rejected, and a caller that retries must carry an idempotency key.
 */
export class PostgresGroupCommit implements WriteQueue {
  private queue: PendingWrite[] = [];
  private scheduled = false;
  private closed = false;
  /** The batches committing now (at most `MAX_BATCHES_IN_FLIGHT`). */
  private readonly inFlight = new Set<Promise<void>>();
  /** The conversations whose writes a batch in flight holds: their next writes wait for it. */
  private readonly held = new Set<string>();
  /** A batch in flight holds a write that names no conversation: nothing runs beside it. */
  private exclusive = false;
  private running: PendingWrite | undefined;
  commits = 0;
  beforeBatch: (() => void) | undefined;

  constructor(private readonly pool: pg.Pool) {}

  run<T>(work: () => Iterable<PendingStatement, T, unknown>, options?: WriteOptions): Promise<T>;
  run<T>(work: () => T, options?: WriteOptions): Promise<T>;
  run<T>(work: () => T, options?: WriteOptions): Promise<T> {
    if (this.closed) return Promise.reject(new Error('The database is closing'));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve, reject, lock: options?.lock });
      this.schedule();
    });
  }

  afterCommit(callback: () => void): void {
    const item = this.running;
    if (!item) throw new Error('afterCommit is only for use inside a write');
    (item.committed ??= []).push(callback);
  }

  addToBatch<S>(tail: BatchTail<S>, add: (state: S) => void): void {
    addTo(this.running, tail, add);
  }

  flush(): void {
    this.scheduled = false;
    if (this.exclusive || this.inFlight.size >= MAX_BATCHES_IN_FLIGHT || this.queue.length === 0) return;
    const batch = this.take();
    if (batch.length === 0) return;
    const locks = rowsToLock(batch);
    const exclusive = batch.some((item) => item.lock === undefined);
    for (const id of locks ?? []) this.held.add(id);
    if (exclusive) this.exclusive = true;
    this.beforeBatch?.();
    const done: Promise<void> = this.commit(batch, locks).finally(() => {
      this.inFlight.delete(done);
      for (const id of locks ?? []) this.held.delete(id);
      if (exclusive) this.exclusive = false;
      if (this.queue.length > 0) this.schedule();
    });
    this.inFlight.add(done);
    // The next batch may start beside this one with what queues meanwhile.
    if (this.queue.length > 0) this.schedule();
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.inFlight.size > 0 || this.queue.length > 0) {
      this.flush();
      await Promise.race(this.inFlight);
    }
  }

  /**
   * The writes of the next batch, in queue order. With no batch in flight, the whole queue. Beside
   * a batch in flight, only writes of conversations no batch holds, up to the first write that names
   * no conversation (it may touch any row, so it waits, and the writes after it too); a write left
   * behind keeps its place, so a conversation's writes still commit in the order they were queued.
   */
  private take(): PendingWrite[] {
    if (this.inFlight.size === 0) {
      const all = this.queue;
      this.queue = [];
      return all;
    }
    const batch: PendingWrite[] = [];
    const left: PendingWrite[] = [];
    let stopped = false;
    for (const item of this.queue) {
      if (!stopped && item.lock === undefined) stopped = true;
      if (stopped || this.held.has(item.lock!)) left.push(item);
      else batch.push(item);
    }
    this.queue = left;
    return batch;
  }

  private schedule(): void {
    if (this.scheduled || this.exclusive || this.inFlight.size >= MAX_BATCHES_IN_FLIGHT) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Commits `batch`, first locking `locks` (its conversations, sorted: `rowsToLock`). */
  private async commit(batch: PendingWrite[], locks: string[] | undefined): Promise<void> {
    const started = probes.batch.hasSubscribers ? performance.now() : 0;
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    // A connection that dies mid-batch also emits 'error'; its query has already failed the batch.
    const ignore = () => {};
    client.on('error', ignore);
    // Statements leave without waiting for the answers before them (see `runSideBySide`).
    setPipeline(client, true);
    try {
      await Promise.all(locks ? [client.query('BEGIN'), client.query(LOCK_ROWS, [locks])] : [client.query('BEGIN')]);
      const failed = await runSideBySide(client, batch, this.within);
      if (failed) await this.runIsolated(client, batch, locks);
      await this.runTails(client, batch);
      await client.query('COMMIT');
    } catch (error) {
      // The connection or the COMMIT failed: the outcome is unknown, so nobody is told it committed.
      client.off('error', ignore);
      client.release(error instanceof Error ? error : true);
      for (const item of batch) item.reject(error);
      return;
    }
    setPipeline(client, false);
    client.off('error', ignore);
    client.release();
    this.commits++;
    if (started) probes.batch.publish({ size: batch.length, ms: performance.now() - started });
    for (const item of batch) {
      const outcome = item.outcome!;
      if (outcome.ok) {
        if (item.committed) runCommitted(item.committed);
        item.resolve(outcome.value);
      } else item.reject(outcome.error);
    }
  }

  /** The slow path: the batch again, each write in its own savepoint; a write that failed before is not run again. */
  private async runIsolated(client: pg.PoolClient, batch: PendingWrite[], locks: string[] | undefined): Promise<void> {
    await client.query('ROLLBACK');
    await client.query('BEGIN');
    if (locks) await client.query(LOCK_ROWS, [locks]);
    for (const item of batch) {
      if (item.outcome && !item.outcome.ok) continue;
      await client.query('SAVEPOINT parley_write');
      try {
        item.outcome = { ok: true, value: await this.drive(client, item) };
        await client.query('RELEASE SAVEPOINT parley_write');
      } catch (error) {
        item.outcome = { ok: false, error };
        await client.query('ROLLBACK TO SAVEPOINT parley_write');
      }
    }
  }

  /** Runs the batch's tails (see `addToBatch`), each in a savepoint; one that fails is undone and told. */
  private async runTails(client: pg.PoolClient, batch: PendingWrite[]): Promise<void> {
    for (const { tail, state } of batchTails(batch)) {
      await client.query('SAVEPOINT parley_tail');
      try {
        const work = tail.finish(state);
        if (work) await this.runSteps(client, undefined, work);
        await client.query('RELEASE SAVEPOINT parley_tail');
      } catch (error) {
        await client.query('ROLLBACK TO SAVEPOINT parley_tail');
        tail.failed(error);
      }
    }
  }

  /** Runs one write's work (from the start: a write run again keeps nothing of its earlier run). */
  private async drive(client: pg.PoolClient, item: PendingWrite): Promise<unknown> {
    item.committed = undefined;
    item.added = undefined;
    const result = this.within(item, () => item.work());
    return isWork(result) ? this.runSteps(client, item, result) : result;
  }

  /**
   * Hands each statement `work` yields to the transaction's connection, with `item` as the running
   * write (none for a batch tail).
   */
  private async runSteps(client: pg.PoolClient, item: PendingWrite | undefined, work: Iterable<PendingStatement, unknown, unknown>): Promise<unknown> {
    const steps = work[Symbol.iterator]();
    let next = this.within(item, () => steps.next());
    while (!next.done) {
      const { name, text, values } = next.value;
      let answer: pg.QueryResult;
      try {
        answer = await client.query(name ? { name, text, values } : { text, values });
      } catch (error) {
        // Into the work, as on SQLite, so its own catch and finally blocks run (marking what failed).
        if (!steps.throw) throw error;
        next = this.within(item, () => steps.throw!(error));
        continue;
      }
      next = this.within(item, () => steps.next(answer));
    }
    return next.value;
  }

  private readonly within = <T>(item: PendingWrite | undefined, run: () => T): T => {
    this.running = item;
    try {
      return run();
    } finally {
      this.running = undefined;
    }
  };
}
