import fp from 'fastify-plugin';
import type { Expression, Kysely } from 'kysely';
import type {
  AgentMessage,
  ChatListQuery,
  ChatSummary,
  ConversationStatus,
  HandoffReason,
  LeadData,
  MessageRole,
  SearchHit,
} from '@parley/protocol';
import type { Database } from '../db/database.js';
import type { DatabaseHandle } from '../db/handle.js';
import type { WriteQueue } from '../db/write-queue.js';
import { param, prepareQuery } from '../db/prepared.js';
import { runNow, type Step, type Work } from '../db/step.js';
import type { MessageRow } from '../db/tables/index.js';
import { Errors } from '../errors.js';
import { topics, type EventBus } from '../core/bus.js';
import { toChatMessage } from '../conversations/conversations.js';
import type { SearchIndex } from './search-index.js';
import { toVisitorIdentity } from '../identity/identity.js';
import type { PresenceTracker } from '../core/presence.js';

const LAST_MESSAGE_CHARS = 200;
const DEFAULT_PAGE = 50;

/** Characters of the plain text kept for the inbox's last-message line. */
export function preview(text: string): string {
  return text.length > LAST_MESSAGE_CHARS ? `${text.slice(0, LAST_MESSAGE_CHARS - 1)}…` : text;
}

/**
 * The agents' view of their company's conversations: inbox summaries with unread counts and
 * queue places, messages with read marks, full-text search. Every query takes the caller's
 * company and filters on it, so another company's ids find nothing (404).
 */
export class InboxRepository {
  private readonly markReadStatements;
  /**
   * `get` runs for every message agents see (the conversation's summary is re-sent): its query is
   * built and prepared once.
   */
  private readonly summaryStatement;

  private readonly db: Kysely<Database>;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly writes: WriteQueue,
    private readonly presence: PresenceTracker,
    private readonly bus: EventBus,
    private readonly searchIndex?: SearchIndex,
  ) {
    const db = (this.db = database.db);
    this.markReadStatements = {
      readSeq: prepareQuery(database, { company: param<string>(), id: param<string>() }, (p) =>
        db.selectFrom('conversations').select('read_seq').where('company_id', '=', p.company).where('id', '=', p.id),
      ),
      markMessages: prepareQuery(database, { at: param<string>(), conversation: param<string>(), after: param<number>(), upTo: param<number>() }, (p) =>
        db
          .updateTable('messages')
          .set({ read_at: p.at })
          .where('conversation_id', '=', p.conversation)
          .where('seq', '>', p.after)
          .where('seq', '<=', p.upTo)
          .where('role', '=', 'user')
          .where('read_at', 'is', null),
      ),
      countUnread: prepareQuery(database, { conversation: param<string>(), after: param<number>() }, (p) =>
        db
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('conversation_id', '=', p.conversation)
          .where('seq', '>', p.after)
          .where('role', '=', 'user'),
      ),
      setRead: prepareQuery(database, { id: param<string>(), readSeq: param<number>(), unread: param<number>() }, (p) =>
        db.updateTable('conversations').set({ read_seq: p.readSeq, unread_count: p.unread }).where('id', '=', p.id),
      ),
    };
    this.summaryStatement = prepareQuery(database, { company: param<string>(), id: param<string>() }, (p) =>
      this.summaries(p.company).where('c.id', '=', p.id),
    );
  }

  private summaries(companyId: string | Expression<string>) {
    return this.db
      .selectFrom('conversations as c')
      .leftJoin('users as u', (join) => join.onRef('u.id', '=', 'c.assignee_id').onRef('u.company_id', '=', 'c.company_id'))
      .leftJoin('messages as lm', (join) => join.onRef('lm.conversation_id', '=', 'c.id').onRef('lm.seq', '=', 'c.last_seq'))
      .where('c.company_id', '=', companyId)
      // "Try it" conversations of the bot builder are not the company's visitors.
      .where('c.is_test', '=', 0)
      .select([
        'c.id',
        'c.status',
        'c.assignee_id',
        'u.name as assignee_name',
        'c.visitor_ip',
        'c.visitor_user_agent',
        'c.last_seen_at',
        'c.created_at',
        'c.updated_at',
        'c.handoff_at',
        'c.handoff_reason',
        'c.handoff_context',
        'c.identity_user_id',
        'c.identity_name',
        'c.identity_email',
        'c.identity_verified',
        'c.identified_at',
        'c.unread_count',
        'lm.seq as last_seq',
        'lm.role as last_role',
        'lm.text as last_text',
        'lm.created_at as last_created_at',
      ])
      .select((eb) => [
        eb
          .selectFrom('leads as l')
          .select('l.data')
          .whereRef('l.conversation_id', '=', 'c.id')
          .whereRef('l.company_id', '=', 'c.company_id')
          .orderBy('l.created_at', 'desc')
          .limit(1)
          .as('lead_data'),
        eb
          .selectFrom('conversations as w')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('w.company_id', '=', 'c.company_id')
          .where('w.status', '=', 'waiting')
          .where((q) =>
            q.or([
              q('w.handoff_at', '<', q.ref('c.handoff_at')),
              q.and([q('w.handoff_at', '=', q.ref('c.handoff_at')), q('w.id', '<=', q.ref('c.id'))]),
            ]),
          )
          .as('queue_rank'),
      ]);
  }

  private toSummary(row: Awaited<ReturnType<ReturnType<InboxRepository['summaries']>['execute']>>[number]): ChatSummary {
    const status = row.status as ConversationStatus;
    return {
      id: row.id,
      status,
      assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name ?? 'Former agent' } : null,
      last_message:
        row.last_seq !== null && row.last_seq !== undefined
          ? { seq: row.last_seq, role: row.last_role as MessageRole, text: preview(row.last_text ?? ''), created_at: row.last_created_at ?? row.updated_at }
          : null,
      unread_count: Number(row.unread_count ?? 0),
      ...(status === 'waiting' && row.queue_rank ? { queue_position: Math.max(1, Number(row.queue_rank)) } : {}),
      visitor: {
        ip: row.visitor_ip,
        user_agent: row.visitor_user_agent,
        last_seen_at: row.last_seen_at,
        online: this.presence.isVisitorOnline(row.id),
        ...(row.identity_user_id ? { identity: toVisitorIdentity(row)! } : {}),
      },
      lead: row.lead_data ? (JSON.parse(row.lead_data) as LeadData) : null,
      ...(row.handoff_at
        ? {
            handoff: {
              reason: (row.handoff_reason ?? 'visitor') as HandoffReason,
              requested_at: row.handoff_at,
              ...(row.handoff_context ? { context: row.handoff_context } : {}),
            },
          }
        : {}),
      created_at: row.created_at,
      updated_at: row.updated_at,
    };
  }

  /** The company's conversations, newest activity first. `assignee` is a user id, `me` or `none`. */
  async list(companyId: string, userId: string, query: ChatListQuery): Promise<ChatSummary[]> {
    let q = this.summaries(companyId);
    if (query.status) q = q.where('c.status', '=', query.status);
    if (query.assignee === 'none') q = q.where('c.assignee_id', 'is', null);
    else if (query.assignee) q = q.where('c.assignee_id', '=', query.assignee === 'me' ? userId : query.assignee);
    const { before, before_id: beforeId } = query;
    if (before && beforeId) {
      // The page after (before, beforeId) in the order below: ties on the time go by id.
      q = q.where((eb) => eb.or([eb('c.updated_at', '<', before), eb.and([eb('c.updated_at', '=', before), eb('c.id', '<', beforeId)])]));
    } else if (before) q = q.where('c.updated_at', '<', before);
    const rows = await q.orderBy('c.updated_at', 'desc').orderBy('c.id', 'desc').limit(query.limit ?? DEFAULT_PAGE).execute();
    return this.withPresence(companyId, rows.map((row) => this.toSummary(row)));
  }

  /** Summaries made on a node that does not follow the company's presence: visitors online from Redis. */
  private async withPresence(companyId: string, summaries: ChatSummary[]): Promise<ChatSummary[]> {
    const online = this.presence.visitorsOnlineOf(companyId);
    if (!online || summaries.length === 0) return summaries;
    const ids = await online;
    for (const summary of summaries) summary.visitor.online = ids.has(summary.id);
    return summaries;
  }

  /** One conversation of the company; 404 when it is not there (or is another company's). */
  async get(companyId: string, id: string): Promise<ChatSummary> {
    const summary = await this.summary(companyId, id);
    if (!summary) throw Errors.notFound('Conversation not found');
    return (await this.withPresence(companyId, [summary]))[0]!;
  }

  /**
   * The same as a step, undefined when not there: `await` it, or `yield*` it inside a write (it
   * then sees that write's changes). On SQLite it runs synchronously.
   */
  summary(companyId: string, id: string): Step<ChatSummary | undefined> {
    const row = this.summaryStatement.get({ company: companyId, id });
    const toSummary = (found: typeof row extends Step<infer R> ? R : never) => (found ? this.toSummary(found) : undefined);
    return {
      *[Symbol.iterator]() {
        return toSummary(yield* row);
      },
      then: (onFulfilled, onRejected) => row.then(toSummary).then(onFulfilled, onRejected),
    };
  }

  /** Whether `summary` (and every read here) runs synchronously: on SQLite. */
  get readsAtOnce(): boolean {
    return this.database.dialect === 'sqlite';
  }

  /**
   * The same, synchronously: SQLite only (it throws on PostgreSQL). Inside a write, use
   * `yield* summary(...)` instead.
   * @deprecated for the callers not yet converted (webhooks); use `summary`.
   */
  summaryNow(companyId: string, id: string): ChatSummary | undefined {
    return runNow(this.summary(companyId, id));
  }

  /** Waiting conversations of the company in queue order (ids only). */
  async queue(companyId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .select('id')
      .where('company_id', '=', companyId)
      .where('status', '=', 'waiting')
      // SQLite's order (no hand-off time first) on PostgreSQL too, which puts NULLs last.
      .orderBy('handoff_at', (ob) => ob.asc().nullsFirst())
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Ids of the conversations an agent has, for when the account goes away. */
  async assignedTo(companyId: string, userId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('conversations')
      .select('id')
      .where('company_id', '=', companyId)
      .where('assignee_id', '=', userId)
      .where('status', '=', 'agent')
      .execute();
    return rows.map((r) => r.id);
  }

  /** Messages of a company's conversation after `after`, with when an agent read them. */
  async messages(companyId: string, conversationId: string, after: number, limit: number): Promise<AgentMessage[]> {
    await this.assertConversation(companyId, conversationId);
    const rows: MessageRow[] = await this.db
      .selectFrom('messages')
      .selectAll()
      .where('company_id', '=', companyId)
      .where('conversation_id', '=', conversationId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map((row) => ({ message: toChatMessage(row), read_at: row.read_at }));
  }

  /** Where a message of the company is; 404 when it is not there. */
  async locateMessage(companyId: string, messageId: string): Promise<{ conversationId: string; seq: number }> {
    const id = Number(messageId);
    const row = Number.isSafeInteger(id)
      ? await this.db
          .selectFrom('messages')
          .select(['conversation_id', 'seq'])
          .where('id', '=', id)
          .where('company_id', '=', companyId)
          .executeTakeFirst()
      : undefined;
    if (!row) throw Errors.notFound('Message not found');
    return { conversationId: row.conversation_id, seq: row.seq };
  }

  /**
   * Marks the visitor's messages up to `seq` read (through the write queue) and tells every agent
   * of the company, so other tabs and colleagues see it. Resolves with what is still unread.
   */
  async markRead(reader: { id: string; companyId: string }, conversationId: string, seq: number, origin?: string): Promise<number> {
    await this.assertConversation(reader.companyId, conversationId);
    const now = new Date().toISOString();
    const statements = this.markReadStatements;
    const unread = await this.writes.run(function* (): Work<number> {
      const before = (yield* statements.readSeq.get({ company: reader.companyId, id: conversationId }))?.read_seq ?? 0;
      const readSeq = Math.max(before, seq);
      yield* statements.markMessages.run({ at: now, conversation: conversationId, after: before, upTo: readSeq });
      const left = (yield* statements.countUnread.get({ conversation: conversationId, after: readSeq }))?.n ?? 0;
      yield* statements.setRead.run({ id: conversationId, readSeq, unread: left });
      return left;
    }, { lock: conversationId });
    this.bus.publish(topics.company(reader.companyId), {
      type: 'read',
      conversationId,
      companyId: reader.companyId,
      seq,
      userId: reader.id,
      ...(origin ? { origin } : {}),
    });
    return unread;
  }

  /** Full-text search over the company's messages, best matches first; snippets are safe HTML. */
  async search(companyId: string, text: string, limit: number): Promise<SearchHit[]> {
    // Per database: FTS5 on SQLite, a GIN index on PostgreSQL (`search-index.ts`).
    return this.searchIndex ? this.searchIndex.search(companyId, text, limit) : [];
  }

  /** 404 unless the conversation belongs to the company. */
  async assertConversation(companyId: string, conversationId: string): Promise<void> {
    const row = await this.db
      .selectFrom('conversations')
      .select('id')
      .where('id', '=', conversationId)
      .where('company_id', '=', companyId)
      .executeTakeFirst();
    if (!row) throw Errors.notFound('Conversation not found');
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The agents' inbox: summaries, messages, read marks, search. */
    inbox: InboxRepository;
  }
}

export default fp(
  async (app) => {
    app.decorate('inbox', new InboxRepository(app.database, app.writes, app.presence, app.bus, app.searchIndex));
  },
  { name: 'inbox', dependencies: ['database', 'presence', 'bus', 'search-index'] },
);
