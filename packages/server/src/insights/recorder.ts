import type SQLite from 'better-sqlite3';
import type { LiveConversation, NewMessage } from '../plugins/app/conversations.js';

/** A quarter hour in milliseconds: the grain of the funnel's counts (every time zone's offset is a multiple of it). */
export const BUCKET_MS = 15 * 60_000;

/**
 * The reports' rollups, kept in the write path. Every method runs inside the write that stores
 * the change it records (so a rollup never disagrees with what committed), and only runs
 * prepared statements: a visitor turn that reaches no new flow step costs nothing; one that does
 * costs an `INSERT OR IGNORE` per step and one `UPDATE` by primary key.
 */
export class InsightsRecorder {
  private readonly statements;

  constructor(sqlite: SQLite.Database) {
    this.statements = {
      insertFacts: sqlite.prepare(
        'INSERT OR IGNORE INTO conversation_facts (conversation_id, company_id, flow_id, created_ms) VALUES (?, ?, ?, ?)',
      ),
      insertStep: sqlite.prepare('INSERT OR IGNORE INTO conversation_steps (conversation_id, step) VALUES (?, ?)'),
      countStep: sqlite.prepare(
        `INSERT INTO funnel_counts (company_id, flow_id, bucket, step, reached) VALUES (?, ?, ?, ?, 1)
         ON CONFLICT (company_id, flow_id, bucket, step) DO UPDATE SET reached = reached + 1`,
      ),
      lastStep: sqlite.prepare('UPDATE conversation_facts SET last_step = ?, bot_ended = max(bot_ended, ?) WHERE conversation_id = ?'),
      handedOff: sqlite.prepare('UPDATE conversation_facts SET handed_off_ms = ? WHERE conversation_id = ? AND handed_off_ms IS NULL'),
      firstResponse: sqlite.prepare(
        `UPDATE conversation_facts SET handed_off_ms = coalesce(handed_off_ms, @at), first_agent_id = @agent,
           first_response_ms = CASE WHEN handed_off_ms IS NULL THEN NULL ELSE @at - handed_off_ms END
         WHERE conversation_id = @id AND first_agent_id IS NULL`,
      ),
      resolved: sqlite.prepare(
        `UPDATE conversation_facts SET handed_off_ms = coalesce(handed_off_ms, @at), resolved_by = @agent,
           resolution_ms = CASE WHEN handed_off_ms IS NULL THEN NULL ELSE @at - handed_off_ms END
         WHERE conversation_id = @id AND resolved_by IS NULL`,
      ),
      rated: sqlite.prepare('UPDATE conversation_facts SET rating = ? WHERE conversation_id = ?'),
    };
  }

  /** A new conversation and the steps its greeting ran. */
  started(conversation: LiveConversation, path: string[] | undefined, terminal: boolean): void {
    this.statements.insertFacts.run(conversation.id, conversation.companyId, conversation.flowId, Date.parse(conversation.createdAt));
    this.turn(conversation, path, terminal);
  }

  /** The steps a turn ran: each counts once per conversation in the funnel; the last is where it stands. */
  turn(conversation: LiveConversation, path: string[] | undefined, terminal: boolean): void {
    if (!path?.length) return;
    const { id, companyId, flowId } = conversation;
    const bucket = Math.floor(Date.parse(conversation.createdAt) / BUCKET_MS);
    for (const step of path) {
      if (this.statements.insertStep.run(id, step).changes === 1 && flowId) this.statements.countStep.run(companyId, flowId, bucket, step);
    }
    this.statements.lastStep.run(path[path.length - 1], terminal ? 1 : 0, id);
  }

  /** A person was asked for (the first time counts). */
  handedOff(conversationId: string, at: number): void {
    this.statements.handedOff.run(at, conversationId);
  }

  /**
   * Messages an agent action stored. The first agent reply is the first response (counted from the
   * hand-off, or from a claim of a conversation nobody asked a person for); an agent who steps in
   * with a reply unasked starts the person's part but sets no response time.
   */
  recorded(conversation: LiveConversation, messages: NewMessage[], at: number): void {
    for (const message of messages) {
      if (message.role === 'agent' && message.authorId) {
        this.statements.firstResponse.run({ at, agent: message.authorId, id: conversation.id });
        return;
      }
    }
    if (conversation.status === 'agent') this.handedOff(conversation.id, at);
  }

  /** An agent resolved the conversation (the first resolution counts). */
  resolved(conversationId: string, agentId: string, at: number): void {
    this.statements.resolved.run({ at, agent: agentId, id: conversationId });
  }

  /** The visitor's rating. */
  rated(conversationId: string, score: number): void {
    this.statements.rated.run(score, conversationId);
  }
}
