import type SQLite from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { sql, type Compilable, type InsertQueryBuilder, type RawBuilder } from 'kysely';
import type { DatabaseHandle } from './handle.js';
import { AsyncStep, SyncStep, type PendingStatement, type Step } from './step.js';

/** A named parameter of a prepared query, bound each time the statement runs. */
export interface Param<T> {
  readonly __param: T;
}

/** Declares a named parameter: `{ id: param<string>() }`. */
export function param<T>(): Param<T> {
  return {} as Param<T>;
}

/** The values a prepared query takes: one per declared parameter. */
export type ParamValues<P> = { [K in keyof P]: P[K] extends Param<infer T> ? T : never };

/** The parameters as Kysely expressions, to use anywhere a value goes in the query. */
export type ParamRefs<P> = { [K in keyof P]: P[K] extends Param<infer T> ? RawBuilder<T> : never };

/** A query compiled once and kept as a prepared statement (SQLite only; see `prepareQuery` for both dialects). */
export interface PreparedSqliteQuery<Row, P> {
  /** Every row. */
  all(values: ParamValues<P>): Row[];
  /** The first row, or undefined. */
  get(values: ParamValues<P>): Row | undefined;
  /** Runs a write; `changes` tells how many rows it touched. */
  run(values: ParamValues<P>): SQLite.RunResult;
  /** The SQL as compiled, for tests and logs. */
  readonly sql: string;
}

/** What a write tells: how many rows it touched. (Ask for ids with `returning`, which both dialects have.) */
export interface WriteResult {
  changes: number;
}

/**
 * A query compiled once, for whichever database the server runs on. Each call gives a `Step`:
 * `await` it anywhere, or `yield*` it inside a write's generator.
 */
export interface PreparedQuery<Row, P> {
  /** Every row. */
  all(values: ParamValues<P>): Step<Row[]>;
  /** The first row, or undefined. */
  get(values: ParamValues<P>): Step<Row | undefined>;
  /** Runs a write. */
  run(values: ParamValues<P>): Step<WriteResult>;
  /**
   * Runs an insert of one row and gives the row's new `id`: SQLite's rowid, or on PostgreSQL the
   * id the statement returns (build the insert with {@link returningId}). On SQLite this spares a
   * RETURNING clause, which costs a message insert about a microsecond.
   */
  insertId(values: ParamValues<P>): Step<number>;
  /** The SQL as compiled, for tests and logs. */
  readonly sql: string;
}

type RowOf<Q> = Q extends Compilable<infer R> ? R : never;

/**
 * Builds a query with Kysely (typed tables and columns) and compiles it once, for the server's
 * database. Parameters are named, so each call binds an object and never a positional list;
 * constants written into the query are bound once, here. On SQLite it becomes a prepared
 * statement that runs synchronously (bound by position: the names are resolved to places once, at
 * compile time); on PostgreSQL a named statement that each pooled connection prepares once.
 *
 * @example
 * const byId = prepareQuery(database, { id: param<string>() }, (p) =>
 *   database.db.selectFrom('conversations').selectAll().where('id', '=', p.id));
 * const row = await byId.get({ id }); // or, inside a write: yield* byId.get({ id })
 */
export function prepareQuery<P extends Record<string, Param<unknown>>, Q extends Compilable<unknown>>(
  database: DatabaseHandle,
  params: P,
  build: (refs: ParamRefs<P>) => Q,
): PreparedQuery<RowOf<Q>, P> {
  if (database.dialect === 'sqlite') {
    const query = prepareSqliteQuery(database.sqlite, params, build);
    // The functions are made once per query; each call only makes its step.
    const all = (values: unknown) => query.all(values as ParamValues<P>);
    const get = (values: unknown) => query.get(values as ParamValues<P>);
    const run = (values: unknown): WriteResult => ({ changes: query.run(values as ParamValues<P>).changes });
    const insertId = (values: unknown) => Number(query.run(values as ParamValues<P>).lastInsertRowid);
    return {
      sql: query.sql,
      all: (values) => new SyncStep(all, values),
      get: (values) => new SyncStep(get, values),
      run: (values) => new SyncStep(run, values),
      insertId: (values) => new SyncStep(insertId, values),
    };
  }
  const compiled = build(references(params)).compile();
  const { text, names, fixed } = positional(compiled.sql, [...compiled.parameters], (slot) => `$${slot + 1}`);
  const name = `parley_${createHash('sha1').update(text).digest('base64url').slice(0, 20)}`;
  const bind = binder<P>(names, fixed, (value) => value);
  const pool = database.pool;
  const statement = (values: ParamValues<P>): PendingStatement => ({ name, text, values: bind(values) });
  return {
    sql: compiled.sql,
    all: (values) => new AsyncStep(statement(values), pool, (result) => result.rows as RowOf<Q>[]),
    get: (values) => new AsyncStep(statement(values), pool, (result) => result.rows[0] as RowOf<Q> | undefined),
    run: (values) => new AsyncStep(statement(values), pool, (result) => ({ changes: result.rowCount ?? 0 })),
    insertId: (values) => new AsyncStep(statement(values), pool, (result) => Number((result.rows[0] as { id: unknown }).id)),
  };
}

/** An insert that returns its new `id` on PostgreSQL and nothing on SQLite, for {@link PreparedQuery.insertId}. */
export function returningId(database: DatabaseHandle, insert: InsertQueryBuilder<any, any, any>): Compilable<unknown> {
  return database.dialect === 'postgres' ? insert.returning('id') : insert;
}

/**
 * A query built and compiled on the spot (not kept), as a step: for the rare statement inside a
 * write that is not worth preparing.
 */
export function stepOf<Q extends Compilable<unknown>>(database: DatabaseHandle, query: Q): Step<RowOf<Q>[]> {
  const compiled = query.compile();
  if (database.dialect === 'sqlite') {
    return new SyncStep(() => {
      const statement = database.sqlite.prepare(compiled.sql);
      const args = compiled.parameters.map(toSqliteValue);
      if (statement.reader) return statement.all(args) as RowOf<Q>[];
      statement.run(args);
      return [] as RowOf<Q>[];
    });
  }
  const name = '';
  return new AsyncStep({ name, text: compiled.sql, values: [...compiled.parameters] }, database.pool, (result) => result.rows as RowOf<Q>[]);
}

function references<P extends Record<string, Param<unknown>>>(params: P): ParamRefs<P> {
  return Object.fromEntries(Object.keys(params).map((name) => [name, sql.raw(`:${name}`)])) as ParamRefs<P>;
}

function binder<P>(names: Array<string | undefined>, fixed: unknown[], convert: (value: unknown) => unknown): (values: ParamValues<P>) => unknown[] {
  return (values) => {
    const args = fixed.slice();
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (name !== undefined) args[i] = convert(values[name as keyof P]);
    }
    return args;
  };
}

/**
 * The SQLite-only form of {@link prepareQuery}: runs synchronously and returns plain values. For
 * what exists on SQLite alone (the FTS5 index, WAL upkeep).
 */
export function prepareSqliteQuery<P extends Record<string, Param<unknown>>, Q extends Compilable<unknown>>(
  sqlite: SQLite.Database,
  params: P,
  build: (refs: ParamRefs<P>) => Q,
): PreparedSqliteQuery<RowOf<Q>, P> {
  if (!sqlite) return notOnThisDatabase(build(references(params)).compile().sql);
  const compiled = build(references(params)).compile();
  const { text, names, fixed } = positional(compiled.sql, compiled.parameters.map(toSqliteValue), () => '?');
  const statement = sqlite.prepare(text);
  const reader = statement.reader;
  // Bound by position: better-sqlite3 looks each named parameter up by name on every run, which
  // cost a message insert (13 values) 2.4 µs more than a positional list.
  const bind = binder<P>(names, fixed, toSqliteValue);
  return {
    sql: compiled.sql,
    all: (values) => (reader ? (statement.all(bind(values)) as RowOf<Q>[]) : []),
    get: (values) => (reader ? (statement.get(bind(values)) as RowOf<Q> | undefined) : undefined),
    run: (values) => statement.run(bind(values)),
  };
}

/** A SQLite-only query asked for on PostgreSQL: refuses when it is run. */
function notOnThisDatabase<Row, P>(text: string): PreparedSqliteQuery<Row, P> {
  const refuse = (): never => {
    throw new Error(`This query runs on SQLite only: ${text}`);
  };
  return { sql: text, all: refuse, get: refuse, run: refuse };
}

/**
 * Turns compiled SQL into positional SQL: each `?` (a constant Kysely bound) and each `:name` (a
 * parameter) becomes a slot, in order; `names[i]` is the parameter of slot `i`, `fixed[i]` the
 * constant. Quoted strings and identifiers are copied as they are. PostgreSQL's constants come as
 * `$1`, `$2`… (their number is their place among the constants); its slots are written `$n` again.
 */
function positional(
  compiled: string,
  constants: unknown[],
  slot: (index: number) => string,
): { text: string; names: Array<string | undefined>; fixed: unknown[] } {
  const names: Array<string | undefined> = [];
  const fixed: unknown[] = [];
  let text = '';
  let next = 0;
  for (let i = 0; i < compiled.length; i++) {
    const c = compiled[i]!;
    if (c === "'" || c === '"' || c === '`') {
      const end = compiled.indexOf(c, i + 1);
      const stop = end === -1 ? compiled.length : end + 1;
      text += compiled.slice(i, stop);
      i = stop - 1;
    } else if (c === '?') {
      text += slot(names.length);
      names.push(undefined);
      fixed.push(constants[next++]);
    } else if (c === '$' && /[0-9]/.test(compiled[i + 1] ?? '')) {
      const digits = /^[0-9]+/.exec(compiled.slice(i + 1))![0];
      text += slot(names.length);
      names.push(undefined);
      fixed.push(constants[Number(digits) - 1]);
      i += digits.length;
    } else if (c === ':' && compiled[i - 1] !== ':' && /[A-Za-z_]/.test(compiled[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(compiled.slice(i + 1))![0];
      text += slot(names.length);
      names.push(name);
      fixed.push(null);
      i += name.length;
    } else {
      text += c;
    }
  }
  return { text, names, fixed };
}

/** SQLite stores booleans as 0/1; everything else binds as it is. */
function toSqliteValue(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}
