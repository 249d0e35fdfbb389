import type { PendingStatement, Work } from './step.js';

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
  /**
   * Inside a write's work: adds to what `tail` stores once for the whole batch, after its last
   * write and before its commit. Only the writes that commit add: a write that fails, or runs again
   * on the slow path, adds nothing twice.
   */
  addToBatch<S>(tail: BatchTail<S>, add: (state: S) => void): void;
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
   * first, in id order, so two nodes' batches never wait on each other in a circle. Every write
   * that changes a conversation's rows (the conversation, its messages, its facts) names it: one
   * that did not would lock the row in the middle of its batch, out of that order.
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
  /** What the write added to its batch's tails (see `addToBatch`). */
  added?: Array<BatchAddition<any>> | undefined;
}

/**
 * Work a batch runs once, after its writes and before its commit, from what its writes added:
 * counts that many writes of a batch change are then written in one statement per batch instead
 * of one per write. The tail runs in a savepoint of its own; when it fails, it is undone alone and
 * told (`failed`), and the batch's writes commit all the same. A batch runs its tails in the order
 * its writes first added to them: rows that several nodes' batches lock (shared counters) belong in
 * one tail that stores them in a fixed order, or two batches could lock them in a circle.
 */
export interface BatchTail<S> {
  /** An empty state for a new batch. */
  start(): S;
  /** What stores a batch's state, or nothing to store. */
  finish(state: S): Work<void> | undefined;
  /** Told when the tail's statements failed and were undone (the batch committed without them). */
  failed(error: unknown): void;
}

/** One write's addition to a tail. */
export interface BatchAddition<S> {
  tail: BatchTail<S>;
  add: (state: S) => void;
}

/** Records a running write's addition to a tail (both queues' `addToBatch`). */
export function addTo<S>(item: PendingWrite | undefined, tail: BatchTail<S>, add: (state: S) => void): void {
  if (!item) throw new Error('addToBatch is only for use inside a write');
  (item.added ??= []).push({ tail, add });
}

/**
 * The tails of a batch's writes that succeeded, each with its state built from their additions
 * in the writes' order; empty when none added anything.
 */
export function batchTails(batch: PendingWrite[]): Array<{ tail: BatchTail<unknown>; state: unknown }> {
  let states: Map<BatchTail<unknown>, unknown> | undefined;
  for (const item of batch) {
    if (!item.added || !item.outcome?.ok) continue;
    for (const { tail, add } of item.added) {
      states ??= new Map();
      if (!states.has(tail)) states.set(tail, tail.start());
      add(states.get(tail));
    }
  }
  return states ? [...states].map(([tail, state]) => ({ tail, state })) : [];
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
