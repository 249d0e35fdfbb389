import type pg from 'pg';
import { isWork, type PendingStatement } from './step.js';
import type { PendingWrite } from './write-queue.js';

/** Runs a step of a write's work with that write as the one `afterCommit` speaks of. */
export type Within = <T>(item: PendingWrite, run: () => T) => T;

/** How a batch's writes fared side by side. */
interface BatchState {
  /** A write threw or a statement failed: the batch must run again in savepoints. */
  failed: boolean;
  /** The write whose statement failed first: the transaction is aborted from there on. */
  culprit: PendingWrite | undefined;
}

/**
 * Runs a batch's writes side by side on one connection in pipeline mode: every write's next
 * statement is sent as soon as the write yields it, without waiting for the other writes' answers,
 * so a batch of a hundred turns costs PostgreSQL a few round trips instead of a hundred. Each
 * write's own statements still run one after the other (the next one is only known from the answer
 * before), and two writes of one conversation (`lock`) run one after the other: the second starts
 * when the first is done. Writes of different conversations only share rows whose updates commute
 * (counters, inserted events), so their interleaving commits what running them in turn would.
 *
 * Resolves with whether a write failed. The write that threw, or whose statement failed first, keeps
 * its error as outcome and is not run again; a statement that fails after that only failed because
 * the transaction was aborted, so its write is stopped without hearing of it (its outcome cleared)
 * and runs again in the slow path, as every write does that did not fail.
 */
export async function runSideBySide(client: pg.PoolClient, batch: PendingWrite[], within: Within): Promise<boolean> {
  const state: BatchState = { failed: false, culprit: undefined };
  const last = new Map<string | undefined, Promise<void>>();
  const runs: Array<Promise<void>> = [];
  const stream = (client as unknown as { connection: { stream: NodeJS.WritableStream & { cork(): void; uncork(): void } } }).connection.stream;
  // The first statements of every write leave in one write to the socket.
  stream.cork();
  try {
    for (const item of batch) {
      const before = last.get(item.lock);
      const run = before ? before.then(() => drive(client, item, state, within, stream)) : drive(client, item, state, within, stream);
      last.set(item.lock, run);
      runs.push(run);
    }
  } finally {
    stream.uncork();
  }
  await Promise.all(runs);
  return state.failed;
}

/** Whether the transaction was aborted by another write's statement: this write stops unheard. */
function abortedByAnother(state: BatchState, item: PendingWrite): boolean {
  return state.culprit !== undefined && state.culprit !== item;
}

/** Drives one write; never rejects (its outcome says how it ended). */
async function drive(
  client: pg.PoolClient,
  item: PendingWrite,
  state: BatchState,
  within: Within,
  stream: { cork(): void; uncork(): void; writableCorked?: number },
): Promise<void> {
  item.committed = undefined;
  item.outcome = undefined;
  if (abortedByAnother(state, item)) return;
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
        answer = await send(client, next.value, stream);
      } catch (error) {
        if (abortedByAnother(state, item)) return;
        state.failed = true;
        state.culprit = item;
        // Into the work, as on SQLite, so its own catch and finally blocks run (marking what failed).
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
 * Sends a statement. The statements that the answers of one read of the socket release leave in
 * one write: the socket is corked until the promise reactions of that read have run.
 */
function send(client: pg.PoolClient, statement: PendingStatement, stream: { cork(): void; uncork(): void; writableCorked?: number }): Promise<pg.QueryResult> {
  if (!stream.writableCorked) {
    stream.cork();
    process.nextTick(() => stream.uncork());
  }
  const { name, text, values } = statement;
  return client.query(name ? { name, text, values } : { text, values });
}
