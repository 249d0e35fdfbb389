import type pg from 'pg';
import { isWork, type PendingStatement } from './step.js';
import type { PendingWrite } from './write-queue.js';

/** Runs a synchronous step of a write's work with that write as the running one (for `afterCommit`, `addToBatch`). */
export type Within = <T>(item: PendingWrite, run: () => T) => T;

/** The socket under a `pg` client, corked so that statements sent in one turn leave in one write. */
interface CorkableStream {
  cork(): void;
  uncork(): void;
  writableCorked?: number;
}

/** How a batch's writes fared side by side. */
interface BatchState {
  /** A write threw or a statement failed: the batch must run again in savepoints. */
  failed: boolean;
  /** The write whose statement failed first: PostgreSQL aborted the transaction from there on. */
  culprit: PendingWrite | undefined;
  stream: CorkableStream;
  within: Within;
}

/**
 * Turns `pg`'s pipeline mode on or off for a checked-out client: a query is sent at once, without
 * waiting for the answers before it (each with its own Sync). The flag is read at each query; it
 * is not in the typings as writable. Only turned off once every query sent has been answered.
 */
export function setPipeline(client: pg.PoolClient, on: boolean): void {
  (client as unknown as { pipeline: boolean }).pipeline = on;
}

/**
 * Runs a batch's writes side by side on one connection in pipeline mode, inside the transaction
 * the caller opened: each write's next statement is sent as soon as the write yields it, without
 * waiting for the other writes' answers. A batch of a hundred turns then waits for PostgreSQL's
 * work and a few round trips, instead of a hundred round trips each behind a turn of a busy event
 * loop.
 *
 * What must stay in order does:
 * - a write's own statements run one after the other (the next is only known from the answer);
 * - writes naming the same conversation (`lock`) run in turn: the second starts when the first is
 *   done, so a conversation's seqs, state checks and outbox events keep the queue's order;
 * - a write that names no conversation may touch any row: it starts once every write queued
 *   before it is done, and the writes queued after it start once it is done.
 * Writes of different conversations share only rows whose changes commute (inserted events, and
 * counters, which batch tails store after every write), so interleaving them commits what running
 * them in turn would.
 *
 * Resolves with whether a write failed; each write's `outcome` says how it ended. The write that
 * threw, or whose statement failed first, keeps its error and hears of it (its work's catch blocks
 * run, as in turn). A statement that fails after that failed only because the transaction was
 * aborted: its write stops without hearing of it, its outcome left unset, and it runs again on the
 * slow path with every write that did not fail.
 */
export async function runSideBySide(client: pg.PoolClient, batch: PendingWrite[], within: Within): Promise<boolean> {
  const stream = (client as unknown as { connection: { stream: CorkableStream } }).connection.stream;
  const state: BatchState = { failed: false, culprit: undefined, stream, within };
  /** The last write started for each conversation since the last barrier. */
  const last = new Map<string, Promise<void>>();
  /** The writes started since the last barrier (a write naming no conversation). */
  let sinceBarrier: Array<Promise<void>> = [];
  let barrier: Promise<void> | undefined;
  const runs: Array<Promise<void>> = [];
  // The first statements of every write leave in one write to the socket.
  stream.cork();
  try {
    for (const item of batch) {
      let run: Promise<void>;
      if (item.lock === undefined) {
        const before = barrier ? [barrier, ...sinceBarrier] : sinceBarrier;
        run = before.length > 0 ? Promise.all(before).then(() => drive(client, item, state)) : drive(client, item, state);
        barrier = run;
        sinceBarrier = [];
        last.clear();
      } else {
        const before = last.get(item.lock) ?? barrier;
        run = before ? before.then(() => drive(client, item, state)) : drive(client, item, state);
        last.set(item.lock, run);
        sinceBarrier.push(run);
      }
      runs.push(run);
    }
  } finally {
    stream.uncork();
  }
  await Promise.all(runs);
  return state.failed;
}

/** Whether another write's statement aborted the transaction: this write stops unheard. */
function abortedByAnother(state: BatchState, item: PendingWrite): boolean {
  return state.culprit !== undefined && state.culprit !== item;
}

/** Drives one write from its start; never rejects (its outcome says how it ended). */
async function drive(client: pg.PoolClient, item: PendingWrite, state: BatchState): Promise<void> {
  item.committed = undefined;
  item.added = undefined;
  item.outcome = undefined;
  if (abortedByAnother(state, item)) return;
  const { within } = state;
  try {
    const result = within(item, () => item.work());
    if (!isWork(result)) {
      item.outcome = { ok: true, value: result };
      return;
    }
    const steps = result[Symbol.iterator]();
    let next = within(item, () => steps.next());
    while (!next.done) {
      let answer: pg.QueryResult;
      try {
        answer = await send(client, next.value, state.stream);
      } catch (error) {
        if (abortedByAnother(state, item)) return;
        state.failed = true;
        state.culprit = item;
        // Into the work, as when run in turn, so its own catch and finally blocks run (marking what failed).
        if (!steps.throw) throw error;
        next = within(item, () => steps.throw!(error));
        continue;
      }
      if (abortedByAnother(state, item)) return;
      next = within(item, () => steps.next(answer));
    }
    item.outcome = { ok: true, value: next.value };
  } catch (error) {
    if (abortedByAnother(state, item)) return;
    state.failed = true;
    item.outcome = { ok: false, error };
  }
}

/**
 * Sends a statement. The statements released by the answers of one read of the socket leave in
 * one write: the socket stays corked until that read's promise reactions have run.
 */
function send(client: pg.PoolClient, statement: PendingStatement, stream: CorkableStream): Promise<pg.QueryResult> {
  if (!stream.writableCorked) {
    stream.cork();
    process.nextTick(() => stream.uncork());
  }
  const { name, text, values } = statement;
  return client.query(name ? { name, text, values } : { text, values });
}
