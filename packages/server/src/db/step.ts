import type pg from 'pg';

/**
 * One SQL statement a write hands to whoever runs it, on PostgreSQL: the write's generator yields
 * it and gets the driver's result back. On SQLite nothing is ever yielded (statements run at once).
 */
export interface PendingStatement {
  /** A name PostgreSQL prepares the statement under, once per connection. */
  readonly name: string;
  readonly text: string;
  readonly values: unknown[];
}

/**
 * A database step that runs the same on both dialects: `await` it anywhere, or `yield*` it inside
 * a write (a generator given to `writes.run`). On SQLite it runs synchronously either way, so a
 * write stays one synchronous transaction; on PostgreSQL `yield*` hands the statement to the write
 * queue, which runs it on the write's transaction.
 */
export interface Step<T> extends PromiseLike<T> {
  [Symbol.iterator](): Iterator<PendingStatement, T, unknown>;
}

/** A write's work: a generator of steps (`function* () { const row = yield* query.get(values); … }`). */
export type Work<T> = Generator<PendingStatement, T, unknown>;

/** What runs a statement outside writes: a PostgreSQL pool. */
export type StatementRunner = Pick<pg.Pool, 'query'>;

const done = <T>(value: T): IteratorReturnResult<T> => ({ done: true, value });

/**
 * A step that runs synchronously (SQLite). It runs when iterated or awaited, never before. The
 * step is its own iterator and holds its statement and values rather than a closure: a turn makes
 * several, and each allocation is paid on every message.
 */
export class SyncStep<T> implements Step<T>, Iterator<PendingStatement, T, unknown> {
  constructor(
    private readonly execute: (values: unknown) => T,
    private readonly values?: unknown,
  ) {}

  [Symbol.iterator](): Iterator<PendingStatement, T, unknown> {
    return this;
  }

  next(): IteratorReturnResult<T> {
    return done(this.execute(this.values));
  }

  then<R1 = T, R2 = never>(onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    let value: T;
    try {
      value = this.execute(this.values);
    } catch (error) {
      return Promise.reject(error).then(onFulfilled, onRejected);
    }
    return Promise.resolve(value).then(onFulfilled, onRejected);
  }
}

/** A step that runs asynchronously (PostgreSQL): on the pool when awaited, on the write's transaction when yielded. */
export class AsyncStep<T> implements Step<T> {
  constructor(
    private readonly statement: PendingStatement,
    private readonly runner: StatementRunner,
    private readonly read: (result: pg.QueryResult) => T,
  ) {}

  *[Symbol.iterator](): Generator<PendingStatement, T, unknown> {
    const result = (yield this.statement) as pg.QueryResult;
    return this.read(result);
  }

  then<R1 = T, R2 = never>(onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    const { name, text, values } = this.statement;
    return this.runner.query({ name, text, values }).then(this.read).then(onFulfilled, onRejected);
  }
}

/** Whether a write's result is work to drive (a generator or a step) rather than a plain value. */
export function isWork(value: unknown): value is Iterable<PendingStatement, unknown, unknown> {
  if (value instanceof SyncStep || value instanceof AsyncStep) return true;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Generator).next === 'function' &&
    typeof (value as Generator)[Symbol.iterator] === 'function'
  );
}

/** Runs work that must not wait on anything (SQLite): throws if it yields a statement. */
export function runNow<T>(work: Iterable<PendingStatement, T, unknown>): T {
  const result = work[Symbol.iterator]().next();
  if (!result.done) throw new Error('A SQLite write handed out a statement to wait for');
  return result.value;
}

/**
 * What a callback run inside a write may return: nothing (it ran no SQL) or work of its own to
 * drive on the write's transaction.
 */
export type WriteEffect = Iterable<PendingStatement, unknown, unknown> | void | undefined;

const finished: IteratorReturnResult<undefined> = { done: true, value: undefined };
const noStatements: Iterator<PendingStatement, undefined, unknown> = { next: () => finished };
const nothingToRun: Iterable<PendingStatement, undefined, unknown> = { [Symbol.iterator]: () => noStatements };

/**
 * Drives a callback's effect inside a write: `yield* perform(callback())`. No generator is made
 * for a callback that ran no SQL (most of them, on most turns).
 */
export function perform(effect: WriteEffect): Iterable<PendingStatement, unknown, unknown> {
  return effect || nothingToRun;
}
