import { randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import { sql, type NotNull, type RawBuilder } from 'kysely';
import { componentsToText, type ChatMessage, type MessageRole, type MessageStatus } from '@parley/protocol';
import type { DatabaseHandle } from '../db/handle.js';
import type { WriteQueue } from '../db/write-queue.js';
import { param, prepareQuery, returningId, type Param, type ParamValues, type PreparedQuery } from '../db/prepared.js';
import { perform, type Step, type Work, type WriteEffect } from '../db/step.js';
import type { WriteResult } from '../db/prepared.js';
import { initialState, type FlowState } from '../flows/engine.js';
import { timestamp } from '../lib/clock.js';
import { timeOrderedId } from '../lib/ids.js';
import { Errors } from '../errors.js';
import { ConversationUpdates, UPDATE_PARAMS, type Allocation } from './conversation-updates.js';
import {
  DuplicateClientMessage,
  StaleConversation,
  fromRow,
  hashToken,
  sanitizeComponents,
  toChatMessage,
  visitorMessages,
  type ConversationChanges,
  type LiveConversation,
  type NewMessage,
} from './conversation-model.js';
import type { VisitorInfo } from './conversation-model.js';

export { DuplicateClientMessage, STALE_RETRIES, StaleConversation, isTransientConflict, retryStale, hashToken, toChatMessage, type ConversationChanges, type LiveConversation, type NewMessage } from './conversation-model.js';

const MAX_CACHED = 20_000;
/**
 * Among how many of its latest messages with a client id a conversation recognises a resend. A
 * client resends only messages it has no `ack` for, before anything newer, so a resend is always
 * among the latest few; the window bounds memory and spares the database a unique index.
 */
export const RECENT_CLIENT_IDS = 256;

/** A message of an `append`, as clients will see it and as it binds. */
interface PreparedMessage {
  message: ChatMessage;
  params: ParamValues<typeof MESSAGE_PARAMS>;
}

/** The parameters of a stored message (see `ConversationStore.append`). */
const MESSAGE_PARAMS = {
  conversation_id: param<string>(),
  company_id: param<string>(),
  seq: param<number>(),
  role: param<MessageRole>(),
  client_id: param<string | null>(),
  components: param<string>(),
  text: param<string>(),
  author_id: param<string | null>(),
  author_name: param<string | null>(),
  elapsed_ms: param<number | null>(),
  status: param<MessageStatus>(),
  error: param<string | null>(),
  created_at: param<string>(),
};

/** The message columns, in the order the PostgreSQL inserts list them. */
const MESSAGE_COLUMNS = Object.keys(MESSAGE_PARAMS) as Array<keyof typeof MESSAGE_PARAMS>;

/** PostgreSQL's type of each message column, for the typed VALUES list of `allocatingInsert`. */
const COLUMN_TYPES: Record<keyof typeof MESSAGE_PARAMS, string> = {
  conversation_id: 'text',
  company_id: 'text',
  seq: 'integer',
  role: 'text',
  client_id: 'text',
  components: 'text',
  text: 'text',
  author_id: 'text',
  author_name: 'text',
  elapsed_ms: 'integer',
  status: 'text',
  error: 'text',
  created_at: 'text',
};

/** The most messages one INSERT takes on PostgreSQL (a turn stores two or three). */
const MAX_ROWS_PER_INSERT = 8;

/** The parameters of a multi-row message insert: each message column, suffixed with its row. */
function rowParams(rows: number): Record<string, Param<unknown>> {
  const params: Record<string, Param<unknown>> = {};
  for (let i = 0; i < rows; i++) for (const name of MESSAGE_COLUMNS) params[`${name}_${i}`] = MESSAGE_PARAMS[name];
  return params;
}

/** The parameter names of row `i` of a multi-row message insert, in `MESSAGE_COLUMNS` order (made once per row). */
const rowKeys: string[][] = [];
function keysOfRow(i: number): string[] {
  return (rowKeys[i] ??= MESSAGE_COLUMNS.map((name) => `${name}_${i}`));
}

/**
 * The values of a multi-row message insert, each message's parameters suffixed with its row,
 * added to `into` (the allocating insert's other values): one object, and no key built per write.
 */
function rowValues(chunk: PreparedMessage[], into: Record<string, unknown> = {}): Record<string, unknown> {
  for (let i = 0; i < chunk.length; i++) {
    const params = chunk[i]!.params;
    const keys = keysOfRow(i);
    for (let j = 0; j < MESSAGE_COLUMNS.length; j++) into[keys[j]!] = params[MESSAGE_COLUMNS[j]!];
  }
  return into;
}

/**
 * Conversations and their messages on the hot path: prepared statements, a bounded cache of live
 * conversations, sequence numbers handed out in memory, every write through the group commit.
 */
export class ConversationStore {
  private readonly cache = new Map<string, LiveConversation>();
  private readonly messageInserts = new Map<number, PreparedQuery<{ id: unknown; seq: unknown }, Record<string, Param<unknown>>>>();
  private readonly allocatingInserts = new Map<number, PreparedQuery<{ id: unknown; seq: unknown }, Record<string, Param<unknown>>>>();
  private readonly statements;

  private readonly updates: ConversationUpdates;
  /** PostgreSQL: other nodes write too, so seqs come from the row and state changes are compared. */
  private readonly shared: boolean;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly writes: WriteQueue,
  ) {
    const { db } = database;
    this.shared = database.dialect === 'postgres';
    this.updates = new ConversationUpdates(database);
    this.statements = {
      insertConversation: prepareQuery(
        database,
        {
          id: param<string>(),
          company_id: param<string>(),
          session_hash: param<string>(),
          flow_id: param<string | null>(),
          visitor_ip: param<string | null>(),
          visitor_user_agent: param<string | null>(),
          now: param<string>(),
          is_test: param<number>(),
          visitor_id: param<string | null>(),
        },
        (p) =>
          db.insertInto('conversations').values({
            id: p.id,
            company_id: p.company_id,
            session_hash: p.session_hash,
            flow_id: p.flow_id,
            status: 'bot',
            flow_state: '{}',
            last_seq: 0,
            is_terminal: 0,
            visitor_ip: p.visitor_ip,
            visitor_user_agent: p.visitor_user_agent,
            created_at: p.now,
            updated_at: p.now,
            last_seen_at: p.now,
            is_test: p.is_test,
            visitor_id: p.visitor_id,
          }),
      ),
      touchConversation: prepareQuery(database, { id: param<string>(), now: param<string>() }, (p) =>
        db.updateTable('conversations').set({ last_seen_at: p.now }).where('id', '=', p.id),
      ),
      insertMessage: prepareQuery(database, MESSAGE_PARAMS, (p) => returningId(database, db.insertInto('messages').values(p))),
      conversationById: prepareQuery(database, { id: param<string>() }, (p) => db.selectFrom('conversations').selectAll().where('id', '=', p.id)),
      // A conversation's first session, or one it gave a verified visitor's other device.
      conversationBySession: prepareQuery(database, { hash: param<string>() }, (p) =>
        db
          .selectFrom('conversations')
          .select('id')
          .where('session_hash', '=', p.hash)
          .unionAll(db.selectFrom('conversation_sessions').select('conversation_id as id').where('token_hash', '=', p.hash))
          .limit(1),
      ),
      recentClientIds: prepareQuery(database, { id: param<string>(), limit: param<number>() }, (p) =>
        db
          .selectFrom('messages')
          .select(['client_id', 'seq'])
          .where('conversation_id', '=', p.id)
          .where('client_id', 'is not', null)
          .$narrowType<{ client_id: NotNull }>()
          .orderBy('seq', 'desc')
          .limit(p.limit),
      ),
      storedClientId: prepareQuery(database, { id: param<string>(), client_id: param<string>() }, (p) =>
        db.selectFrom('messages').select('seq').where('conversation_id', '=', p.id).where('client_id', '=', p.client_id),
      ),
      claimUnanswered: prepareQuery(database, { id: param<string>(), seq: param<number>(), expected: param<number>() }, (p) =>
        db
          .updateTable('conversations')
          .set((eb) => ({ state_version: eb('state_version', '+', 1) }))
          .where('id', '=', p.id)
          .where('last_seq', '=', p.seq)
          .where('state_version', '=', p.expected),
      ),
      messagesAfter: prepareQuery(database, { id: param<string>(), after: param<number>(), limit: param<number>() }, (p) =>
        db.selectFrom('messages').selectAll().where('conversation_id', '=', p.id).where('seq', '>', p.after).orderBy('seq').limit(p.limit),
      ),
    };
  }

  /** The live conversation, read from the database when it is not in memory. */
  async get(id: string): Promise<LiveConversation | undefined> {
    const cached = this.cached(id);
    if (cached) return cached;
    // The recent client ids come with it, so that a resend is recognised without another wait.
    const [row, recent] = await Promise.all([
      this.statements.conversationById.get({ id }),
      this.statements.recentClientIds.all({ id, limit: RECENT_CLIENT_IDS }),
    ]);
    if (!row) return undefined;
    // Another caller may have read it meanwhile: one live object per conversation.
    const again = this.cache.get(id);
    if (again) return again;
    const live = fromRow(row);
    live.clientIds = new Map(recent.reverse().map((r) => [r.client_id, r.seq]));
    this.remember(live);
    return live;
  }

  /**
   * The live conversation as the database has it now, for a request that starts from it (a
   * visitor's session, an agent's action). On SQLite the server is the only writer: `get`. On
   * PostgreSQL another node may have changed it since it was cached here: its row is read again;
   * new seqs and attributes are taken in place, and a changed state (status, assignee, flow)
   * replaces the copy, whose holders decide again on a fresh one at their next write.
   */
  async current(id: string): Promise<LiveConversation | undefined> {
    if (!this.shared) return this.get(id);
    const cached = this.cached(id);
    // Not in memory, or being written here (the write itself compares the state).
    if (!cached || cached.pending > 0) return cached ?? this.get(id);
    const row = await this.statements.conversationById.get({ id });
    if (!row || row.state_version !== cached.stateVersion) {
      cached.failed = true;
      if (this.cache.get(id) === cached) this.cache.delete(id);
      return row ? this.get(id) : undefined;
    }
    cached.lastSeq = Math.max(cached.lastSeq, row.last_seq);
    if (row.attributes) cached.attributes = JSON.parse(row.attributes) as Record<string, string | number | boolean>;
    return cached;
  }

  /**
   * Takes over the visitor's last message, `seq`, that no node answered (the one answering died
   * during its AI turn): true when this node may answer it now. On SQLite one process writes, and
   * `seq` must still be the last. On PostgreSQL it is a compare-and-set: the row still ends at
   * `seq` with its state unmoved, and the state moves now, so a second node's claim, or a late
   * answer of a node that was only slow, fails (and is decided again) instead of answering twice.
   */
  async claimUnanswered(conversation: LiveConversation, seq: number): Promise<boolean> {
    if (!this.shared) return conversation.lastSeq === seq && conversation.pending === 0;
    const expected = conversation.stateVersion;
    const { changes } = await this.writes.run(() => this.statements.claimUnanswered.run({ id: conversation.id, seq, expected }), { lock: conversation.id });
    if (changes !== 1) return false;
    conversation.stateVersion = Math.max(conversation.stateVersion, expected + 1);
    return true;
  }

  /** The live conversation when it is in memory (no database read). */
  cached(id: string): LiveConversation | undefined {
    const cached = this.cache.get(id);
    if (cached) {
      this.cache.delete(id);
      this.cache.set(id, cached);
    }
    return cached;
  }

  /**
   * The live conversation when it belongs to the company; otherwise the coded 404, the same for an
   * unknown id and another company's (never tell one from the other). `message` keeps a route's
   * own wording of it.
   */
  async ownedBy(companyId: string, id: string, message = 'Conversation not found'): Promise<LiveConversation> {
    const conversation = id.length <= 64 ? await this.current(id) : undefined;
    if (conversation?.companyId === companyId) return conversation;
    throw Errors.notFound(message);
  }

  /** Drops a deleted conversation from memory. */
  forget(id: string): void {
    this.cache.delete(id);
  }

  /** The conversation a session token belongs to. */
  async bySessionToken(token: string): Promise<LiveConversation | undefined> {
    const hash = hashToken(token);
    const row = await this.statements.conversationBySession.get({ hash });
    return row ? this.current(row.id) : undefined;
  }

  /**
   * Creates a conversation with its first messages (the greeting). Returns the session token at
   * once; `committed` resolves with the stored messages once the transaction commits. `after` runs
   * inside that transaction, as in `append`.
   */
  create(
    input: VisitorInfo & { companyId: string; flowId: string | null; isTest?: boolean },
    flow: FlowState,
    isTerminal: boolean,
    messages: NewMessage[],
    after?: (stored: ChatMessage[]) => WriteEffect,
  ): { conversation: LiveConversation; token: string; committed: Promise<ChatMessage[]> } {
    const token = randomBytes(24).toString('base64url');
    const now = timestamp();
    const conversation: LiveConversation = {
      id: input.conversationId ?? timeOrderedId(),
      companyId: input.companyId,
      flowId: input.flowId,
      status: 'bot',
      flow: initialState(),
      lastSeq: 0,
      stateVersion: 0,
      isTerminal: false,
      assigneeId: null,
      visitorIp: input.ip?.slice(0, 64) ?? null,
      visitorUserAgent: input.userAgent?.slice(0, 512) ?? null,
      createdAt: now,
      ...(input.isTest ? { isTest: true } : {}),
      pending: 0,
      pendingClientIds: new Map(),
      failed: false,
      clientIds: new Map(),
    };
    const insert = {
      id: conversation.id,
      company_id: conversation.companyId,
      session_hash: hashToken(token),
      flow_id: conversation.flowId,
      visitor_ip: conversation.visitorIp,
      visitor_user_agent: conversation.visitorUserAgent,
      now,
      is_test: input.isTest ? 1 : 0,
      visitor_id: input.visitorId ?? null,
    };
    this.remember(conversation);
    const committed = this.append(
      conversation,
      messages,
      { flow, isTerminal },
      () => this.statements.insertConversation.run(insert),
      after,
    );
    return { conversation, token, committed };
  }

  /**
   * Stores messages and conversation changes as one write; the promise resolves after the commit.
   * On SQLite, one process, sequence numbers are given now, in memory, so concurrent turns never
   * collide. On PostgreSQL they are allocated from the row inside the write, under its lock, and
   * the write fails with `StaleConversation` when another node changed the conversation's state
   * since this copy was read, or with `DuplicateClientMessage` when a client id is stored already.
   * `before` runs first inside the same transaction (creating the row); `after` runs last, with the
   * stored messages (their ids given), for what must commit with them (a lead, outbox events).
   */
  append(
    conversation: LiveConversation,
    messages: NewMessage[],
    changes: ConversationChanges = {},
    before?: () => WriteEffect,
    after?: (stored: ChatMessage[]) => WriteEffect,
  ): Promise<ChatMessage[]> {
    const now = timestamp();
    const shared = this.shared;
    const prepared = messages.map((m) => {
      const components = sanitizeComponents(m.components);
      // Built field by field in the order clients see (no spread of temporary objects: this runs twice a turn).
      const message = { seq: shared ? 0 : ++conversation.lastSeq, id: '' } as ChatMessage;
      if (m.clientId) message.client_id = m.clientId;
      message.role = m.role;
      if (m.author) message.author = m.author;
      message.components = components;
      message.created_at = now;
      message.status = m.status ?? 'success';
      const params: ParamValues<typeof MESSAGE_PARAMS> = {
        conversation_id: conversation.id,
        company_id: conversation.companyId,
        seq: message.seq,
        role: m.role,
        client_id: m.clientId ?? null,
        components: JSON.stringify(components),
        text: componentsToText(components),
        author_id: m.authorId ?? null,
        author_name: m.author?.name ?? null,
        elapsed_ms: m.elapsedMs ?? null,
        status: message.status,
        error: m.error ?? null,
        created_at: now,
      };
      return { message, params };
    });
    const stored = prepared.map((p) => p.message);
    const count = visitorMessages(messages);
    let committed: Promise<ChatMessage[]>;
    if (shared) {
      const allocation = this.updates.allocating(conversation, changes, count, now, prepared.length);
      committed = this.writes.run(() => this.sharedWrite(conversation, prepared, stored, allocation, before, after), { lock: conversation.id });
    } else {
      // SQLite: no lock to name (one process holds the write lock for the whole batch).
      const update = this.updates.of(conversation, changes, count, now);
      committed = this.writes.run(() => this.write(conversation, prepared, stored, update, before, after));
    }
    conversation.pending++;
    for (const { message } of prepared) {
      if (message.client_id) conversation.pendingClientIds.set(message.client_id, { message, committed });
    }
    const settle = () => {
      conversation.pending--;
      for (const { message } of prepared) if (message.client_id) conversation.pendingClientIds.delete(message.client_id);
      if (conversation.failed && this.cache.get(conversation.id) === conversation) this.cache.delete(conversation.id);
    };
    // Known ids first, then off the pending list: at every moment an id is in one or the other.
    committed.then(() => {
      if (shared) conversation.lastSeq = Math.max(conversation.lastSeq, stored.at(-1)?.seq ?? 0);
      this.knowClientIds(conversation, prepared);
      settle();
    }, settle);
    return committed;
  }

  /** The work of one `append` on SQLite: the row (when new), the messages, the row's changes and `after`'s share. */
  private *write(
    conversation: LiveConversation,
    prepared: PreparedMessage[],
    stored: ChatMessage[],
    update: () => Step<WriteResult>,
    before: (() => WriteEffect) | undefined,
    after: ((stored: ChatMessage[]) => WriteEffect) | undefined,
  ): Work<ChatMessage[]> {
    if (conversation.failed) throw new StaleConversation(conversation.id);
    try {
      if (before) yield* perform(before());
      for (const { message, params } of prepared) {
        message.id = String(yield* this.statements.insertMessage.insertId(params));
      }
      yield* update();
      if (after) yield* perform(after(stored));
    } catch (error) {
      conversation.failed = true;
      throw error;
    }
    return stored;
  }

  /**
   * The work of one `append` on PostgreSQL: the row (when new); then, under the row's lock, the
   * row's changes with the state version compared and the write's seqs allocated; the client ids
   * checked against what other nodes stored; the messages; `after`'s share.
   */
  private *sharedWrite(
    conversation: LiveConversation,
    prepared: PreparedMessage[],
    stored: ChatMessage[],
    allocation: Allocation,
    before: (() => WriteEffect) | undefined,
    after: ((stored: ChatMessage[]) => WriteEffect) | undefined,
  ): Work<ChatMessage[]> {
    if (conversation.failed) throw new StaleConversation(conversation.id);
    try {
      if (before) yield* perform(before());
      if (prepared.length === 0 || prepared.length > MAX_ROWS_PER_INSERT) {
        const row = yield* allocation.run();
        if (!row) throw new StaleConversation(conversation.id);
        let seq = row.last_seq - prepared.length;
        for (const { message, params } of prepared) params.seq = message.seq = ++seq;
        for (let start = 0; start < prepared.length; start += MAX_ROWS_PER_INSERT) {
          const chunk = prepared.slice(start, start + MAX_ROWS_PER_INSERT);
          yield* this.storeInserted(conversation, chunk, yield* this.messageInsert(chunk.length).all(rowValues(chunk)));
        }
      } else {
        // The usual write: the row's UPDATE and the messages' INSERT in one statement, one round trip.
        const inserted = yield* this.allocatingInsert(allocation.mask, prepared.length).all(rowValues(prepared, allocation.values));
        // Nothing back: another node moved the state (or every message was a resend, named below).
        yield* this.storeInserted(conversation, prepared, inserted);
      }
      if (after) yield* perform(after(stored));
    } catch (error) {
      conversation.failed = true;
      throw error;
    }
    return stored;
  }

  /**
   * Gives the messages their ids and seqs from what the INSERT returned (in seq order, the order
   * they were given). One missing: its client id was stored before (a resend through another
   * node), or, when none was, the conversation's state moved.
   */
  private *storeInserted(conversation: LiveConversation, chunk: PreparedMessage[], inserted: Array<{ id: unknown; seq: unknown }>): Work<void> {
    if (inserted.length === chunk.length) {
      const rows = inserted.map((r) => ({ id: String(r.id), seq: Number(r.seq) })).sort((x, y) => x.seq - y.seq);
      chunk.forEach(({ message, params }, i) => {
        message.id = rows[i]!.id;
        params.seq = message.seq = rows[i]!.seq;
      });
      return;
    }
    for (const { message } of chunk) {
      if (!message.client_id) continue;
      const existing = yield* this.statements.storedClientId.get({ id: conversation.id, client_id: message.client_id });
      if (existing) throw new DuplicateClientMessage(message.client_id, existing.seq);
    }
    throw new StaleConversation(conversation.id);
  }

  /**
   * PostgreSQL: one statement that allocates `rows` seqs on the conversation row (the UPDATE of
   * `mask`, under its state check, as a CTE) and inserts the messages with them, skipping a
   * client id already stored. Prepared once per (mask, rows).
   */
  private allocatingInsert(mask: number, rows: number): PreparedQuery<{ id: unknown; seq: unknown }, Record<string, Param<unknown>>> {
    const key = mask * 16 + rows;
    let query = this.allocatingInserts.get(key);
    if (!query) {
      const params = { ...UPDATE_PARAMS, ...rowParams(rows) };
      const { db } = this.database;
      query = prepareQuery(this.database, params, (p) => {
        const refs = p as unknown as Record<string, RawBuilder<unknown>>;
        const values = Array.from({ length: rows }, (_, i) =>
          sql.join([sql.lit(i + 1), ...MESSAGE_COLUMNS.filter((c) => c !== 'seq').map((c) => sql`${refs[`${c}_${i}`]}::${sql.raw(COLUMN_TYPES[c])}`)]),
        ).map((row) => sql`(${row})`);
        const columns = MESSAGE_COLUMNS.filter((c) => c !== 'seq');
        return db
          .with('allocated', () => this.updates.sharedUpdate(mask, p as never))
          .insertInto('messages')
          .columns(['seq', ...columns])
          .expression(
            // raw SQL: a typed VALUES list joined to the CTE's row has no Kysely syntax.
            sql`SELECT allocated.last_seq - ${sql.lit(rows)} + v.n, ${sql.join(columns.map((c) => sql.ref(`v.${c}`)))} FROM allocated, (VALUES ${sql.join(values)}) AS v(n, ${sql.join(columns.map((c) => sql.id(c)))})`,
          )
          .onConflict((oc) => oc.columns(['conversation_id', 'client_id']).where('client_id', 'is not', null).doNothing())
          .returning(['id', 'seq']);
      }) as unknown as PreparedQuery<{ id: unknown; seq: unknown }, Record<string, Param<unknown>>>;
      this.allocatingInserts.set(key, query);
    }
    return query;
  }

  /** PostgreSQL: the insert of `rows` messages in one statement, skipping a stored client id (prepared once per row count). */
  private messageInsert(rows: number): PreparedQuery<{ id: unknown; seq: unknown }, Record<string, Param<unknown>>> {
    let query = this.messageInserts.get(rows);
    if (!query) {
      const params = rowParams(rows);
      const { db } = this.database;
      query = prepareQuery(this.database, params, (p) =>
        db
          .insertInto('messages')
          .values(Array.from({ length: rows }, (_, i) => Object.fromEntries(MESSAGE_COLUMNS.map((key) => [key, p[`${key}_${i}`]])) as never))
          .onConflict((oc) => oc.columns(['conversation_id', 'client_id']).where('client_id', 'is not', null).doNothing())
          .returning(['id', 'seq']),
      ) as unknown as PreparedQuery<{ id: unknown; seq: unknown }, Record<string, Param<unknown>>>;
      this.messageInserts.set(rows, query);
    }
    return query;
  }

  /** Records that the visitor is here (on connect), off the critical path. */
  touch(conversation: LiveConversation): void {
    const now = timestamp();
    this.writes.run(() => this.statements.touchConversation.run({ id: conversation.id, now }), { lock: conversation.id }).catch(() => undefined);
  }

  /**
   * The message of a client message id already stored or queued in this conversation, with the
   * commit to wait for when it is still queued (read its `seq` after that commit: on PostgreSQL
   * the seq is given inside the write).
   */
  findClientMessage(conversation: LiveConversation, clientId: string): { message: { seq: number }; committed?: Promise<unknown> } | undefined {
    const pending = conversation.pendingClientIds.get(clientId);
    if (pending) return pending;
    // Synchronous from the check to the append that registers a new id: no resend slips between.
    const seq = conversation.clientIds?.get(clientId);
    return seq === undefined ? undefined : { message: { seq } };
  }

  /** Every committed message of a conversation, oldest first (a transcript), read a page at a time. */
  async allMessages(conversationId: string): Promise<ChatMessage[]> {
    const all: ChatMessage[] = [];
    for (;;) {
      const page = await this.messagesAfter(conversationId, all.at(-1)?.seq ?? 0, 500);
      all.push(...page);
      if (page.length < 500) return all;
    }
  }

  /** The committed `last_seq` of each of these conversations (those that exist), read in pages. */
  async lastSeqs(ids: string[]): Promise<Map<string, number>> {
    const seqs = new Map<string, number>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await this.database.db.selectFrom('conversations').select(['id', 'last_seq']).where('id', 'in', ids.slice(i, i + 1000)).execute();
      for (const row of rows) seqs.set(row.id, row.last_seq);
    }
    return seqs;
  }

  /** Committed messages with `seq > after`, oldest first, at most `limit`. */
  async messagesAfter(conversationId: string, after: number, limit = 500): Promise<ChatMessage[]> {
    return (await this.statements.messagesAfter.all({ id: conversationId, after, limit })).map(toChatMessage);
  }

  /** The replies that followed message `seq`, up to the visitor's next message. */
  async repliesAfter(conversationId: string, seq: number): Promise<ChatMessage[]> {
    const replies: ChatMessage[] = [];
    for (const message of await this.messagesAfter(conversationId, seq, 50)) {
      if (message.role === 'user') break;
      replies.push(message);
    }
    return replies;
  }

  /** Adds committed client ids to the recent ones (when loaded: else the database has them), dropping the oldest. */
  private knowClientIds(conversation: LiveConversation, stored: Array<{ message: ChatMessage }>): void {
    const known = conversation.clientIds;
    if (!known) return;
    for (const { message } of stored) {
      if (!message.client_id) continue;
      known.set(message.client_id, message.seq);
      if (known.size > RECENT_CLIENT_IDS) known.delete(known.keys().next().value!);
    }
  }

  private remember(conversation: LiveConversation): void {
    this.cache.set(conversation.id, conversation);
    if (this.cache.size <= MAX_CACHED) return;
    for (const [id, live] of this.cache) {
      if (this.cache.size <= MAX_CACHED * 0.9) break;
      if (live.pending === 0) this.cache.delete(id);
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    conversations: ConversationStore;
  }
}

export default fp(
  async (app) => {
    app.decorate('conversations', new ConversationStore(app.database, app.writes));
  },
  { name: 'conversations', dependencies: ['database'] },
);
