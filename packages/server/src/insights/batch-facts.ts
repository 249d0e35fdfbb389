import { sql, type RawBuilder } from 'kysely';
import type { DatabaseHandle } from '../db/handle.js';
import { prepareQuery, type Param, type PreparedQuery } from '../db/prepared.js';
import type { Work } from '../db/step.js';

/** A conversation's facts row, as its start inserts it. */
export interface NewFacts {
  id: string;
  companyId: string;
  flowId: string | null;
  createdMs: number;
}

/** What the bot's end needs to move the outcome counts of a conversation. */
export interface EndedFacts {
  company_id: string;
  created_ms: number;
  handed_off_ms: number | null;
}

/** Parameters named at run time (a statement per number of rows). */
type Params = Record<string, Param<unknown>>;

/** The most rows one statement takes (SQLite and PostgreSQL both take far more parameters). */
const ROWS_PER_STATEMENT = 64;

const named = (name: string): RawBuilder<never> => sql.raw(`:${name}`);

/** The parameters' names by row, made once (not a string per row and batch). */
const names = (prefix: string) => Array.from({ length: ROWS_PER_STATEMENT }, (_, i) => `${prefix}${i}`);
const ID = names('i');
const COMPANY = names('c');
const FLOW = names('f');
const CREATED = names('t');

/**
 * The facts rows a whole batch of writes starts and ends, in one statement per 64 rows rather
 * than one per conversation: the starts' rows inserted (those already there are left, and not
 * returned), then the bot's end set on the rows not ended yet (what the outcome counts need comes
 * back from the same statement). Ids go in sorted, so two nodes' batches lock rows in one order.
 */
export class BatchFacts {
  private readonly inserts = new Map<number, PreparedQuery<{ conversation_id: string }, Params>>();
  private readonly ends = new Map<number, PreparedQuery<EndedFacts, Params>>();

  constructor(private readonly database: DatabaseHandle) {}

  /** Inserts the rows; the ids of those inserted (a row already there was counted before). */
  *insert(rows: NewFacts[]): Work<Set<string>> {
    const inserted = new Set<string>();
    const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (let from = 0; from < sorted.length; from += ROWS_PER_STATEMENT) {
      const chunk = sorted.slice(from, from + ROWS_PER_STATEMENT);
      const args: Record<string, string | number | null> = {};
      chunk.forEach((row, i) => {
        args[ID[i]!] = row.id;
        args[COMPANY[i]!] = row.companyId;
        args[FLOW[i]!] = row.flowId;
        args[CREATED[i]!] = row.createdMs;
      });
      for (const { conversation_id } of yield* this.insertOf(chunk.length).all(args)) inserted.add(conversation_id);
    }
    return inserted;
  }

  /** Marks the bot's end on the rows not marked yet; what the counts need of each row marked now. */
  *end(ids: string[]): Work<EndedFacts[]> {
    const ended: EndedFacts[] = [];
    const sorted = [...new Set(ids)].sort();
    for (let from = 0; from < sorted.length; from += ROWS_PER_STATEMENT) {
      const chunk = sorted.slice(from, from + ROWS_PER_STATEMENT);
      const args: Record<string, string> = {};
      chunk.forEach((id, i) => (args[ID[i]!] = id));
      ended.push(...(yield* this.endOf(chunk.length).all(args)));
    }
    return ended;
  }

  private insertOf(rows: number): PreparedQuery<{ conversation_id: string }, Params> {
    let statement = this.inserts.get(rows);
    if (statement) return statement;
    const values = Array.from({ length: rows }, (_, i) => ({
      conversation_id: named(ID[i]!),
      company_id: named(COMPANY[i]!),
      flow_id: named(FLOW[i]!),
      created_ms: named(CREATED[i]!),
    }));
    const { db } = this.database;
    statement = prepareQuery(this.database, {} as Params, () =>
      db
        .insertInto('conversation_facts')
        .values(values)
        .onConflict((oc) => oc.doNothing())
        .returning('conversation_id'),
    );
    this.inserts.set(rows, statement);
    return statement;
  }

  private endOf(rows: number): PreparedQuery<EndedFacts, Params> {
    let statement = this.ends.get(rows);
    if (statement) return statement;
    const ids = ID.slice(0, rows).map(named);
    const { db } = this.database;
    statement = prepareQuery(this.database, {} as Params, () =>
      db
        .updateTable('conversation_facts')
        .set({ bot_ended: 1 })
        .where('conversation_id', 'in', ids)
        .where('bot_ended', '=', 0)
        .returning(['company_id', 'created_ms', 'handed_off_ms']),
    );
    this.ends.set(rows, statement);
    return statement;
  }
}
