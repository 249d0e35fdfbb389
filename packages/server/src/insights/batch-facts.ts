import type { DatabaseHandle } from '../db/handle.js';
import { MultiRowStatement } from '../db/multi-row.js';
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

/**
 * The facts rows a whole batch of writes starts and ends, in one statement per 64 rows rather
 * than one per conversation: the starts' rows inserted (those already there are left, and not
 * returned), then the bot's end set on the rows not ended yet (what the outcome counts need comes
 * back from the same statement). Ids go in sorted, so two nodes' batches lock rows in one order.
 */
export class BatchFacts {
  private readonly inserts: MultiRowStatement<{ conversation_id: string }, 'conversation_id' | 'company_id' | 'flow_id' | 'created_ms'>;
  private readonly ends: MultiRowStatement<EndedFacts, 'conversation_id'>;

  constructor(database: DatabaseHandle) {
    const { db } = database;
    this.inserts = new MultiRowStatement(database, ['conversation_id', 'company_id', 'flow_id', 'created_ms'], (rows) =>
      db
        .insertInto('conversation_facts')
        .values(rows)
        .onConflict((oc) => oc.doNothing())
        .returning('conversation_id'),
    );
    this.ends = new MultiRowStatement(database, ['conversation_id'], (rows) =>
      db
        .updateTable('conversation_facts')
        .set({ bot_ended: 1 })
        .where('conversation_id', 'in', rows.map((row) => row.conversation_id))
        .where('bot_ended', '=', 0)
        .returning(['company_id', 'created_ms', 'handed_off_ms']),
    );
  }

  /** Inserts the rows; the ids of those inserted (a row already there was counted before). */
  *insert(rows: NewFacts[]): Work<Set<string>> {
    const sorted = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const inserted = yield* this.inserts.all(sorted.map((row) => [row.id, row.companyId, row.flowId, row.createdMs]));
    return new Set(inserted.map((row) => row.conversation_id));
  }

  /** Marks the bot's end on the rows not marked yet; what the counts need of each row marked now. */
  *end(ids: string[]): Work<EndedFacts[]> {
    return yield* this.ends.all([...new Set(ids)].sort().map((id) => [id]));
  }
}
