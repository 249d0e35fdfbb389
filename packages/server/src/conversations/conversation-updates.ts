import type SQLite from 'better-sqlite3';
import type { ConversationChanges, LiveConversation } from './conversation-model.js';

/** What a write may change besides `last_seq` and `updated_at`, which every write sets. */
const OPTIONAL_ASSIGNMENTS = [
  'status = ?',
  'flow_id = ?',
  'flow_state = ?',
  'is_terminal = ?',
  'assignee_id = ?',
  // The visitor spoke: when, and how many more messages agents have not read.
  'last_seen_at = ?, unread_count = unread_count + ?',
  'closed_at = ?',
] as const;

/**
 * The conversation row's share of a write. It sets only the columns that changed, and counts the
 * visitor's messages as unread. SQLite rewrites every index over a column an UPDATE assigns,
 * changed or not, and a chat turn changes only the flow state and times. One prepared statement
 * per set of columns, made on first use (at most 2^7).
 */
export class ConversationUpdates {
  private readonly statements = new Map<number, SQLite.Statement>();

  constructor(private readonly sqlite: SQLite.Database) {}

  /**
   * Applies `changes` to the live conversation and returns the matching UPDATE, to run inside the
   * write's transaction. `lastSeq` must already count the write's messages.
   */
  of(conversation: LiveConversation, changes: ConversationChanges, visitorMessages: number, now: string): () => void {
    // Values in the order of OPTIONAL_ASSIGNMENTS, each with its bit in `mask`.
    const values: unknown[] = [conversation.lastSeq, now];
    let mask = 0;
    if (changes.status !== undefined && changes.status !== conversation.status) {
      mask |= 1 << 0;
      values.push((conversation.status = changes.status));
    }
    if (changes.flowId !== undefined && changes.flowId !== conversation.flowId) {
      mask |= 1 << 1;
      values.push((conversation.flowId = changes.flowId));
    }
    if (changes.flow !== undefined) {
      mask |= 1 << 2;
      values.push(JSON.stringify((conversation.flow = changes.flow)));
    }
    if (changes.isTerminal !== undefined && changes.isTerminal !== conversation.isTerminal) {
      mask |= 1 << 3;
      values.push((conversation.isTerminal = changes.isTerminal) ? 1 : 0);
    }
    if (changes.assigneeId !== undefined && changes.assigneeId !== conversation.assigneeId) {
      mask |= 1 << 4;
      values.push((conversation.assigneeId = changes.assigneeId));
    }
    if (visitorMessages > 0) {
      mask |= 1 << 5;
      values.push(now, visitorMessages);
    }
    if (changes.closed) {
      mask |= 1 << 6;
      values.push(now);
    }
    values.push(conversation.id);
    const statement = this.statement(mask);
    return () => statement.run(values);
  }

  private statement(mask: number): SQLite.Statement {
    let statement = this.statements.get(mask);
    if (!statement) {
      const assignments = ['last_seq = ?', 'updated_at = ?', ...OPTIONAL_ASSIGNMENTS.filter((_, bit) => mask & (1 << bit))];
      statement = this.sqlite.prepare(`UPDATE conversations SET ${assignments.join(', ')} WHERE id = ?`);
      this.statements.set(mask, statement);
    }
    return statement;
  }
}
