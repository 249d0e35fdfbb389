import { sql, type Compilable, type RawBuilder } from 'kysely';
import type { DatabaseHandle } from './handle.js';
import { prepareQuery, type Param, type PreparedQuery } from './prepared.js';
import type { Work } from './step.js';

/** The most rows one statement takes (SQLite and PostgreSQL both take far more parameters). */
export const ROWS_PER_STATEMENT = 64;

/** One row's columns as the statement's parameters, to put in `values(...)` or an `in` list. */
export type RowRefs<C extends string> = Record<C, RawBuilder<never>>;

/** Parameters named at run time (a statement per number of rows). */
type Params = Record<string, Param<unknown>>;

/**
 * A statement over any number of rows (a multi-row insert or upsert, an `in` list), run in chunks
 * of {@link ROWS_PER_STATEMENT} rows, each chunk by a statement prepared once per row count. Row
 * `i`'s column `c` is the parameter `:c_i`; the names are made once, not per row and batch.
 */
export class MultiRowStatement<Row, C extends string = string> {
  private readonly statements = new Map<number, PreparedQuery<Row, Params>>();
  /** The parameters' names, by row then column. */
  private readonly names: string[][];

  /** `build` makes the statement of `rows.length` rows from their parameters. */
  constructor(
    private readonly database: DatabaseHandle,
    private readonly columns: readonly C[],
    private readonly build: (rows: Array<RowRefs<C>>) => Compilable<unknown>,
  ) {
    this.names = Array.from({ length: ROWS_PER_STATEMENT }, (_, i) => columns.map((column) => `${column}_${i}`));
  }

  /** Runs the statement over `rows` (each its columns' values, in order), in order; every row it returns. */
  *all(rows: ReadonlyArray<readonly unknown[]>): Work<Row[]> {
    const returned: Row[] = [];
    for (const [statement, args] of this.chunks(rows)) for (const row of yield* statement.all(args)) returned.push(row);
    return returned;
  }

  /** Runs the statement (one that returns nothing) over `rows`, as {@link all} does. */
  *run(rows: ReadonlyArray<readonly unknown[]>): Work<void> {
    for (const [statement, args] of this.chunks(rows)) yield* statement.run(args);
  }

  /** Each chunk's statement and its arguments. */
  private *chunks(rows: ReadonlyArray<readonly unknown[]>): Generator<[PreparedQuery<Row, Params>, Record<string, unknown>]> {
    for (let from = 0; from < rows.length; from += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(from, from + ROWS_PER_STATEMENT);
      const args: Record<string, unknown> = {};
      chunk.forEach((values, i) => {
        const names = this.names[i]!;
        values.forEach((value, c) => (args[names[c]!] = value));
      });
      yield [this.statement(chunk.length), args];
    }
  }

  private statement(rows: number): PreparedQuery<Row, Params> {
    let statement = this.statements.get(rows);
    if (statement) return statement;
    const refs = this.names
      .slice(0, rows)
      .map((names) => Object.fromEntries(this.columns.map((column, c) => [column, sql.raw<never>(`:${names[c]}`)])) as RowRefs<C>);
    statement = prepareQuery(this.database, {} as Params, () => this.build(refs)) as unknown as PreparedQuery<Row, Params>;
    this.statements.set(rows, statement);
    return statement;
  }
}
