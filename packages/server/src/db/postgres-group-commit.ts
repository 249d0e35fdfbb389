import type pg from 'pg';
import { probes } from '../core/probes.js';
import { isWork, type PendingStatement } from './step.js';
import { runSideBySide } from './pipelined-writes.js';
import { runCommitted, type PendingWrite, type WriteOptions, type WriteQueue } from './write-queue.js';

/** Locks the rows of a batch's conversations in id order (raw SQL: one fixed statement, no Kysely on the write connection). */
const LOCK_ROWS = { name: 'parley_lock_conversations', text: 'SELECT id FROM conversations WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE' };

/** Turns the connection's pipeline mode on or off (`pg` reads the flag at each query; it is not in the typings as writable). */
function setPipeline(client: pg.PoolClient, on: boolean): void {
  (client as unknown as { pipeline: boolean }).pipeline = on;
}

/** The distinct conversation rows a batch's writes lock, sorted; undefined when none. */
function rowsToLock(batch: PendingWrite[]): string[] | undefined {
  let ids: Set<string> | undefined;
  for (const item of batch) if (item.lock) (ids ??= new Set()).add(item.lock);
  return ids ? [...ids].sort() : undefined;
}

/** How many batches one node commits at once by default, each on a pooled connection of its own. */
export const BATCHES_IN_FLIGHT = 3;

/** Options of a {@link PostgresGroupCommit}. */
export interface PostgresGroupCommitOptions {
  /** Batches committing at once (default {@link BATCHES_IN_FLIGHT}); 1 commits one batch at a time. */
  batchesInFlight?: number;
}

/**
 * The group commit on PostgreSQL: the writes queued during one event-loop turn run in one
 * transaction on one pooled connection, and each caller's promise settles after the COMMIT.
 * Batches grow with the load instead of the transaction count. A batch's writes of different
 * conversations are sent side by side in pipeline mode (`runSideBySide`): a few round trips per
 * batch rather than one per statement.
 *
 * Up to `batchesInFlight` batches commit at once, each on its own connection, so one batch's
 * round trips and COMMIT overlap the next one's instead of queueing behind them. Two batches in
 * flight never share a conversation: a write whose `lock` conversation is in a batch still
 * committing waits for a later batch, so a conversation's writes commit, and their callers hear of
 * it, in the order they were queued. A write that names no conversation may touch any row: it
 * commits in a batch that runs alone, once the batches in flight are done, and what was queued
 * after it waits behind it (as every write did when one batch ran at a time).
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
  /** The batches committing now. */
  private readonly inFlight = new Set<Promise<void>>();
  /** The conversations of the batches committing now: their next writes wait for a later batch. */
  private readonly busy = new Set<string>();
  /** A batch with a write that names no conversation is committing: no other batch starts. */
  private alone = false;
  private readonly batchesInFlight: number;
  private running: PendingWrite | undefined;
  commits = 0;
  beforeBatch: (() => void) | undefined;

  constructor(
    private readonly pool: pg.Pool,
    options: PostgresGroupCommitOptions = {},
  ) {
    this.batchesInFlight = Math.max(1, options.batchesInFlight ?? BATCHES_IN_FLIGHT);
  }

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

  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0 || this.alone || this.inFlight.size >= this.batchesInFlight) return;
    const batch = this.take();
    if (batch.length === 0) return;
    const locks = rowsToLock(batch);
    const alone = batch.some((item) => item.lock === undefined);
    if (locks) for (const id of locks) this.busy.add(id);
    this.alone = alone;
    this.beforeBatch?.();
    const committing: Promise<void> = this.commit(batch, locks).finally(() => {
      this.inFlight.delete(committing);
      if (locks) for (const id of locks) this.busy.delete(id);
      if (alone) this.alone = false;
      if (this.queue.length > 0) this.schedule();
    });
    this.inFlight.add(committing);
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.inFlight.size > 0 || this.queue.length > 0) {
      this.flush();
      await Promise.all(this.inFlight);
    }
  }

  private schedule(): void {
    if (this.scheduled || this.alone || this.inFlight.size >= this.batchesInFlight) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Takes the next batch off the queue: everything, when no batch is in flight; else, in queue
   * order, the writes whose conversation is in no batch in flight, up to the first write that
   * names none (it waits to run alone, and what follows it waits behind it).
   */
  private take(): PendingWrite[] {
    const queue = this.queue;
    if (this.inFlight.size === 0) {
      this.queue = [];
      return queue;
    }
    const batch: PendingWrite[] = [];
    const waiting: PendingWrite[] = [];
    for (let i = 0; i < queue.length; i++) {
      const item = queue[i]!;
      if (item.lock === undefined) {
        for (let j = i; j < queue.length; j++) waiting.push(queue[j]!);
        break;
      }
      (this.busy.has(item.lock) ? waiting : batch).push(item);
    }
    this.queue = waiting;
    return batch;
  }

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
    // Statements leave without waiting for the answers before them (each its own Sync).
    setPipeline(client, true);
    try {
      await Promise.all(locks ? [client.query('BEGIN'), client.query(LOCK_ROWS, [locks])] : [client.query('BEGIN')]);
      // A batch that runs alone may hold writes that touch any row: those run in turn.
      const failed = batch.some((item) => item.lock === undefined) ? await this.runInTurn(client, batch) : await runSideBySide(client, batch, this.within);
      if (failed) await this.runIsolated(client, batch, locks);
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

  /** The writes one after the other; stops at the first that fails. Resolves with whether one failed. */
  private async runInTurn(client: pg.PoolClient, batch: PendingWrite[]): Promise<boolean> {
    for (const item of batch) {
      try {
        item.outcome = { ok: true, value: await this.drive(client, item) };
      } catch (error) {
        item.outcome = { ok: false, error };
        return true;
      }
    }
    return false;
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

  /** Runs one write's work, handing each statement it yields to the transaction's connection. */
  private async drive(client: pg.PoolClient, item: PendingWrite): Promise<unknown> {
    item.committed = undefined;
    const result = this.within(item, () => item.work());
    if (!isWork(result)) return result;
    const steps = result[Symbol.iterator]();
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

  private readonly within = <T>(item: PendingWrite, run: () => T): T => {
    this.running = item;
    try {
      return run();
    } finally {
      this.running = undefined;
    }
  };
}
