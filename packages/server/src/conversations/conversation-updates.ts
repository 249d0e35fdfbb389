import type { ConversationStatus } from '@parley/protocol';
import type { DatabaseHandle } from '../db/handle.js';
import { param, prepareQuery, type ParamValues, type PreparedQuery, type WriteResult } from '../db/prepared.js';
import type { Step } from '../db/step.js';
import type { ConversationChanges, LiveConversation } from './conversation-model.js';

/** Every value an UPDATE of the conversation row may bind; a statement binds those of its columns. */
const PARAMS = {
  id: param<string>(),
  last_seq: param<number>(),
  updated_at: param<string>(),
  status: param<ConversationStatus>(),
  flow_id: param<string | null>(),
  flow_state: param<string>(),
  is_terminal: param<number>(),
  assignee_id: param<string | null>(),
  last_seen_at: param<string>(),
  unread: param<number>(),
  closed_at: param<string>(),
};

type Values = Partial<ParamValues<typeof PARAMS>>;

/** What a write may change besides `last_seq` and `updated_at`, which every write sets: one bit each. */
const STATUS = 1 << 0;
const FLOW_ID = 1 << 1;
const FLOW_STATE = 1 << 2;
const IS_TERMINAL = 1 << 3;
const ASSIGNEE = 1 << 4;
/** The visitor spoke: when, and how many more messages agents have not read. */
const VISITOR_SPOKE = 1 << 5;
const CLOSED = 1 << 6;

/**
 * The conversation row's share of a write. It sets only the columns that changed, and counts the
 * visitor's messages as unread. SQLite rewrites every index over a column an UPDATE assigns,
 * changed or not, and a chat turn changes only the flow state and times. One prepared statement
 * per set of columns, built with Kysely and compiled on first use (at most 2^7).
 */
export class ConversationUpdates {
  private readonly statements = new Map<number, PreparedQuery<unknown, typeof PARAMS>>();

  constructor(private readonly database: DatabaseHandle) {}

  /**
   * Applies `changes` to the live conversation and returns the matching UPDATE, to run inside the
   * write's transaction. `lastSeq` must already count the write's messages.
   */
  of(conversation: LiveConversation, changes: ConversationChanges, visitorMessages: number, now: string): () => Step<WriteResult> {
    const values: Values = { id: conversation.id, last_seq: conversation.lastSeq, updated_at: now };
    let mask = 0;
    if (changes.status !== undefined && changes.status !== conversation.status) {
      mask |= STATUS;
      values.status = conversation.status = changes.status;
    }
    if (changes.flowId !== undefined && changes.flowId !== conversation.flowId) {
      mask |= FLOW_ID;
      values.flow_id = conversation.flowId = changes.flowId;
    }
    if (changes.flow !== undefined) {
      mask |= FLOW_STATE;
      values.flow_state = JSON.stringify((conversation.flow = changes.flow));
    }
    if (changes.isTerminal !== undefined && changes.isTerminal !== conversation.isTerminal) {
      mask |= IS_TERMINAL;
      values.is_terminal = (conversation.isTerminal = changes.isTerminal) ? 1 : 0;
    }
    if (changes.assigneeId !== undefined && changes.assigneeId !== conversation.assigneeId) {
      mask |= ASSIGNEE;
      values.assignee_id = conversation.assigneeId = changes.assigneeId;
    }
    if (visitorMessages > 0) {
      mask |= VISITOR_SPOKE;
      values.last_seen_at = now;
      values.unread = visitorMessages;
    }
    if (changes.closed) {
      mask |= CLOSED;
      values.closed_at = now;
    }
    const statement = this.statement(mask);
    // The statement of `mask` names exactly the values set above.
    return () => statement.run(values as ParamValues<typeof PARAMS>);
  }

  private statement(mask: number): PreparedQuery<unknown, typeof PARAMS> {
    let statement = this.statements.get(mask);
    if (!statement) {
      statement = prepareQuery(this.database, PARAMS, (p) => {
        let update = this.database.db.updateTable('conversations').set({ last_seq: p.last_seq, updated_at: p.updated_at });
        if (mask & STATUS) update = update.set({ status: p.status });
        if (mask & FLOW_ID) update = update.set({ flow_id: p.flow_id });
        if (mask & FLOW_STATE) update = update.set({ flow_state: p.flow_state });
        if (mask & IS_TERMINAL) update = update.set({ is_terminal: p.is_terminal });
        if (mask & ASSIGNEE) update = update.set({ assignee_id: p.assignee_id });
        if (mask & VISITOR_SPOKE) update = update.set((eb) => ({ last_seen_at: p.last_seen_at, unread_count: eb('unread_count', '+', p.unread) }));
        if (mask & CLOSED) update = update.set({ closed_at: p.closed_at });
        return update.where('id', '=', p.id);
      });
      this.statements.set(mask, statement);
    }
    return statement;
  }
}
