import { sql, type Kysely } from 'kysely';
import type { DatabaseHandle } from '../db/handle.js';
import { MultiRowStatement } from '../db/multi-row.js';
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

/**
 * Adding to a counts table's rows: deltas summed by key (over a turn, or over a whole batch of
 * writes), then stored in one multi-row upsert per 64 rows, in key order (so two nodes' batches
 * lock the rows in the same order).
 */
export class SummedCounts {
  /** The upsert: the rows inserted, or their counts added to what is there. */
  private readonly upsert: MultiRowStatement<unknown>;

  constructor(database: DatabaseHandle, table: CountsTable, keyColumns: readonly string[], countColumns: readonly string[]) {
    const db = database.db as unknown as Kysely<Record<CountsTable, Record<string, unknown>>>;
    this.upsert = new MultiRowStatement(database, [...keyColumns, ...countColumns], (rows) =>
      db
        .insertInto(table)
        .values(rows)
        .onConflict((oc) =>
          oc.columns(keyColumns as never).doUpdateSet(Object.fromEntries(countColumns.map((column) => [column, sql`${sql.ref(`${table}.${column}`)} + ${sql.ref(`excluded.${column}`)}`]))),
        ),
    );
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
    yield* this.upsert.run(
      keys.map((key) => {
        const row = rows.get(key)!;
        return [...row.keys, ...row.counts];
      }),
    );
  }
}
