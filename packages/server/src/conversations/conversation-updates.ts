import type { ConversationStatus } from '@parley/protocol';
import type { DatabaseHandle } from '../db/handle.js';
import type { UpdateQueryBuilder } from 'kysely';
import type { Database } from '../db/database.js';
import { param, prepareQuery, type ParamRefs, type ParamValues, type PreparedQuery, type WriteResult } from '../db/prepared.js';
import type { Step } from '../db/step.js';
import type { ConversationChanges, LiveConversation } from './conversation-model.js';

/** Every value an UPDATE of the conversation row may bind; a statement binds those of its columns. */
export const UPDATE_PARAMS = {
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
  /** PostgreSQL: how many messages the write adds, the state version it decided on, and the next one. */
  added: param<number>(),
  expected_version: param<number>(),
  state_version: param<number>(),
};

type Values = Partial<ParamValues<typeof UPDATE_PARAMS>>;

/** A PostgreSQL write's share of the conversation row: the UPDATE's columns (`mask`) and values, and the UPDATE alone. */
export interface Allocation {
  mask: number;
  values: Values;
  /** The UPDATE alone: the row's new `last_seq`, or undefined when another node changed the state. */
  run(): Step<{ last_seq: number } | undefined>;
}

/** What a write may change besides `last_seq` and `updated_at`, which every write sets: one bit each. */
const STATE = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 6);
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
  private readonly statements = new Map<number, PreparedQuery<unknown, typeof UPDATE_PARAMS>>();
  private readonly sharedStatements = new Map<number, PreparedQuery<{ last_seq: number }, typeof UPDATE_PARAMS>>();

  constructor(private readonly database: DatabaseHandle) {}

  /**
   * SQLite: applies `changes` to the live conversation and returns the matching UPDATE, to run
   * inside the write's transaction. `lastSeq` must already count the write's messages.
   */
  of(conversation: LiveConversation, changes: ConversationChanges, visitorMessages: number, now: string): () => Step<WriteResult> {
    const { values, mask } = this.apply(conversation, changes, visitorMessages, now);
    values.last_seq = conversation.lastSeq;
    const statement = this.statement(mask);
    // The statement of `mask` names exactly the values set above.
    return () => statement.run(values as ParamValues<typeof UPDATE_PARAMS>);
  }

  /**
   * PostgreSQL, where other nodes write the same conversation: applies `changes` to the live
   * conversation and returns the UPDATE that, under the row's lock, allocates the write's `added`
   * sequence numbers and checks that the state is still the one this node decided on. It gives
   * the row's new `last_seq`, or undefined when another node changed the state meanwhile.
   */
  allocating(conversation: LiveConversation, changes: ConversationChanges, visitorMessages: number, now: string, added: number): Allocation {
    const expected = conversation.stateVersion;
    const { values, mask } = this.apply(conversation, changes, visitorMessages, now);
    values.added = added;
    values.expected_version = expected;
    if (mask & STATE) values.state_version = ++conversation.stateVersion;
    const statement = this.sharedStatement(mask);
    return { mask, values, run: () => statement.get(values as ParamValues<typeof UPDATE_PARAMS>) };
  }

  /**
   * PostgreSQL: the allocating UPDATE of `mask` (`… RETURNING last_seq`), for a statement that
   * embeds it (the message insert takes it as a CTE: one round trip for the whole write).
   */
  sharedUpdate(mask: number, p: ParamRefs<typeof UPDATE_PARAMS>) {
    let update = this.database.db.updateTable('conversations').set((eb) => ({ last_seq: eb('last_seq', '+', p.added), updated_at: p.updated_at }));
    if (mask & STATE) update = update.set({ state_version: p.state_version });
    return this.setColumns(mask, p, update).where('id', '=', p.id).where('state_version', '=', p.expected_version).returning('last_seq');
  }

  private apply(conversation: LiveConversation, changes: ConversationChanges, visitorMessages: number, now: string): { values: Values; mask: number } {
    const values: Values = { id: conversation.id, updated_at: now };
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
      // The funnel's memory outlives the flow's state (a restart, another flow): only insights replaces it.
      if (changes.flow.funnel === undefined && conversation.flow.funnel !== undefined) changes.flow.funnel = conversation.flow.funnel;
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
    return { values, mask };
  }

  private statement(mask: number): PreparedQuery<unknown, typeof UPDATE_PARAMS> {
    let statement = this.statements.get(mask);
    if (!statement) {
      statement = prepareQuery(this.database, UPDATE_PARAMS, (p) =>
        this.setColumns(mask, p, this.database.db.updateTable('conversations').set({ last_seq: p.last_seq, updated_at: p.updated_at })).where('id', '=', p.id),
      );
      this.statements.set(mask, statement);
    }
    return statement;
  }

  private sharedStatement(mask: number): PreparedQuery<{ last_seq: number }, typeof UPDATE_PARAMS> {
    let statement = this.sharedStatements.get(mask);
    if (!statement) {
      statement = prepareQuery(this.database, UPDATE_PARAMS, (p) => this.sharedUpdate(mask, p));
      this.sharedStatements.set(mask, statement);
    }
    return statement;
  }

  private setColumns<U extends UpdateQueryBuilder<Database, 'conversations', 'conversations', any>>(mask: number, p: ParamRefs<typeof UPDATE_PARAMS>, update: U): U {
    let next = update as UpdateQueryBuilder<Database, 'conversations', 'conversations', any>;
    if (mask & STATUS) next = next.set({ status: p.status });
    if (mask & FLOW_ID) next = next.set({ flow_id: p.flow_id });
    if (mask & FLOW_STATE) next = next.set({ flow_state: p.flow_state });
    if (mask & IS_TERMINAL) next = next.set({ is_terminal: p.is_terminal });
    if (mask & ASSIGNEE) next = next.set({ assignee_id: p.assignee_id });
    if (mask & VISITOR_SPOKE) next = next.set((eb) => ({ last_seen_at: p.last_seen_at, unread_count: eb('unread_count', '+', p.unread) }));
    if (mask & CLOSED) next = next.set({ closed_at: p.closed_at });
    return next as U;
  }
}
