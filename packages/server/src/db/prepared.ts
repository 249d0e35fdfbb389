import type SQLite from 'better-sqlite3';
import { sql, type Compilable, type RawBuilder } from 'kysely';

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

/** A query compiled once and kept as a prepared statement. */
export interface PreparedQuery<Row, P> {
  /** Every row. */
  all(values: ParamValues<P>): Row[];
  /** The first row, or undefined. */
  get(values: ParamValues<P>): Row | undefined;
  /** Runs a write; `changes` tells how many rows it touched. */
  run(values: ParamValues<P>): SQLite.RunResult;
  /** The SQL as compiled, for tests and logs. */
  readonly sql: string;
}

type RowOf<Q> = Q extends Compilable<infer R> ? R : never;

/**
 * Builds a query with Kysely (typed tables and columns), compiles it once and prepares it on the
 * SQLite connection. Parameters are named (`:id`), so each call binds an object and never a
 * positional list; constants written into the query are bound once, here.
 *
 * @example
 * const byId = prepareQuery(sqlite, { id: param<string>() }, (p) =>
 *   db.selectFrom('conversations').selectAll().where('id', '=', p.id));
 * byId.get({ id }); // ConversationRow | undefined
 */
export function prepareQuery<P extends Record<string, Param<unknown>>, Q extends Compilable<unknown>>(
  sqlite: SQLite.Database,
  params: P,
  build: (refs: ParamRefs<P>) => Q,
): PreparedQuery<RowOf<Q>, P> {
  const refs = Object.fromEntries(Object.keys(params).map((name) => [name, sql.raw(`:${name}`)])) as ParamRefs<P>;
  const compiled = build(refs).compile();
  const statement = sqlite.prepare(compiled.sql);
  const constants = compiled.parameters.map(toSqliteValue);
  const reader = statement.reader;
  const bind = (values: ParamValues<P>): unknown[] => {
    const named: Record<string, unknown> = {};
    for (const name in values) named[name] = toSqliteValue(values[name]);
    return Object.keys(named).length > 0 ? [...constants, named] : constants;
  };
  return {
    sql: compiled.sql,
    all: (values) => (reader ? (statement.all(...bind(values)) as RowOf<Q>[]) : []),
    get: (values) => (reader ? (statement.get(...bind(values)) as RowOf<Q> | undefined) : undefined),
    run: (values) => statement.run(...bind(values)),
  };
}

/** SQLite stores booleans as 0/1; everything else binds as it is. */
function toSqliteValue(value: unknown): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}
