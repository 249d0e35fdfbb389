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
 * positional list; constants written into the query are bound once, here. (The statement itself is
 * positional: the names are resolved to places once, at compile time.)
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
  const { text, names, fixed } = positional(compiled.sql, compiled.parameters.map(toSqliteValue));
  const statement = sqlite.prepare(text);
  const reader = statement.reader;
  // Bound by position: better-sqlite3 looks each named parameter up by name on every run, which
  // cost a message insert (13 values) 2.4 µs more than a positional list.
  const bind = (values: ParamValues<P>): unknown[] => {
    const args = fixed.slice();
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      if (name !== undefined) args[i] = toSqliteValue(values[name as keyof P]);
    }
    return args;
  };
  return {
    sql: compiled.sql,
    all: (values) => (reader ? (statement.all(bind(values)) as RowOf<Q>[]) : []),
    get: (values) => (reader ? (statement.get(bind(values)) as RowOf<Q> | undefined) : undefined),
    run: (values) => statement.run(bind(values)),
  };
}

/**
 * Turns compiled SQL into positional SQL: each `?` (a constant Kysely bound) and each `:name` (a
 * parameter) becomes a slot, in order; `names[i]` is the parameter of slot `i`, `fixed[i]` the
 * constant. Quoted strings and identifiers are copied as they are.
 */
function positional(compiled: string, constants: unknown[]): { text: string; names: Array<string | undefined>; fixed: unknown[] } {
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
      names.push(undefined);
      fixed.push(constants[next++]);
      text += '?';
    } else if (c === ':' && /[A-Za-z_]/.test(compiled[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(compiled.slice(i + 1))![0];
      names.push(name);
      fixed.push(null);
      text += '?';
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
