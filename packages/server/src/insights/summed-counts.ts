import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/database.js';
import type { DatabaseHandle } from '../db/handle.js';
import { prepareQuery, type Param, type PreparedQuery } from '../db/prepared.js';
import type { Work } from '../db/step.js';

/** The counts tables whose rows are added to (never set): a key, and counters. */
type CountsTable = 'funnel_counts' | 'insight_counts';

/** A row to add: its key columns' values and each counter's delta, in the table's column order. */
interface CountRow {
  keys: Array<string | number>;
  counts: number[];
}

/** Rows to add, by key (one per key, so one statement never names a row twice). */
export type CountRows = Map<string, CountRow>;

/** Parameters named at run time (a statement per number of rows). */
type Params = Record<string, Param<unknown>>;

/** The most rows one statement adds (SQLite and PostgreSQL both take far more parameters). */
const ROWS_PER_STATEMENT = 64;

/**
 * Adding to a counts table's rows: deltas summed by key (over a turn, or over a whole batch of
 * writes), then stored in one multi-row upsert per 64 rows, in key order (so two nodes' batches
 * lock the rows in the same order).
 */
export class SummedCounts {
  /** Statements by how many rows they add. */
  private readonly statements = new Map<number, PreparedQuery<unknown, Params>>();
  private readonly db: Kysely<Database>;
  /** The parameters' names, by row then column (`k0_0`…, `c0_0`…), made once rather than per row and batch. */
  private readonly keyNames: string[][];
  private readonly countNames: string[][];

  constructor(
    private readonly database: DatabaseHandle,
    private readonly table: CountsTable,
    private readonly keyColumns: readonly string[],
    private readonly countColumns: readonly string[],
  ) {
    this.db = database.db;
    const names = (prefix: string, columns: number) =>
      Array.from({ length: ROWS_PER_STATEMENT }, (_, i) => Array.from({ length: columns }, (_, c) => `${prefix}${i}_${c}`));
    this.keyNames = names('k', keyColumns.length);
    this.countNames = names('c', countColumns.length);
  }

  /** Adds deltas (in `countColumns` order) to the row of `keys` (in `keyColumns` order). */
  add(rows: CountRows, keys: Array<string | number>, counts: number[]): void {
    const key = keys.join('\u0000');
    const row = rows.get(key);
    if (!row) {
      rows.set(key, { keys, counts: [...counts] });
      return;
    }
    for (let i = 0; i < counts.length; i++) row.counts[i]! += counts[i]!;
  }

  /** Stores rows: inserts the new ones, adds to the others. */
  *store(rows: CountRows): Work<void> {
    const keys = [...rows.keys()].sort();
    for (let from = 0; from < keys.length; from += ROWS_PER_STATEMENT) {
      const chunk = keys.slice(from, from + ROWS_PER_STATEMENT);
      const args: Record<string, string | number> = {};
      chunk.forEach((key, i) => {
        const row = rows.get(key)!;
        const keyNames = this.keyNames[i]!;
        const countNames = this.countNames[i]!;
        row.keys.forEach((value, k) => (args[keyNames[k]!] = value));
        row.counts.forEach((value, c) => (args[countNames[c]!] = value));
      });
      yield* this.statement(chunk.length).run(args);
    }
  }

  /** The upsert of `rows` rows: key `:k0_0`…, counts `:c0_0`…, added to what is there. */
  private statement(rows: number): PreparedQuery<unknown, Params> {
    let statement = this.statements.get(rows);
    if (statement) return statement;
    const named = (name: string): RawBuilder<unknown> => sql.raw(`:${name}`);
    const values: Array<Record<string, RawBuilder<unknown>>> = [];
    for (let i = 0; i < rows; i++) {
      const row: Record<string, RawBuilder<unknown>> = {};
      this.keyColumns.forEach((column, k) => (row[column] = named(this.keyNames[i]![k]!)));
      this.countColumns.forEach((column, c) => (row[column] = named(this.countNames[i]![c]!)));
      values.push(row);
    }
    const { table, keyColumns, countColumns } = this;
    statement = prepareQuery(this.database, {} as Params, () =>
      (this.db as unknown as Kysely<Record<CountsTable, Record<string, unknown>>>)
        .insertInto(table)
        .values(values)
        .onConflict((oc) =>
          oc.columns(keyColumns as never).doUpdateSet(Object.fromEntries(countColumns.map((column) => [column, sql`${sql.ref(`${table}.${column}`)} + ${sql.ref(`excluded.${column}`)}`]))),
        ),
    );
    this.statements.set(rows, statement);
    return statement;
  }
}
