import fp from 'fastify-plugin';
import { escapeHtml, type ChatMessage, type ConversationStatus, type HandoffReason } from '@parley/protocol';
import { initialState } from '../flows/engine.js';
import type { DatabaseHandle } from '../db/handle.js';
import type { WriteQueue } from '../db/write-queue.js';
import { param, prepareQuery } from '../db/prepared.js';
import { Errors } from '../errors.js';
import { hasRole } from '../accounts/auth.js';
import { topics, type EventBus } from '../core/bus.js';
import type { Outbox } from '../core/outbox.js';
import type { ChatService } from '../conversations/chat.js';
import type { Company } from '../companies/companies.js';
import { DuplicateClientMessage, retryStale, type ConversationStore, type LiveConversation, type NewMessage } from '../conversations/conversations.js';
import type { FlowRegistry } from '../flows/flows.plugin.js';
import type { InboxRepository } from '../inbox/inbox.js';
import { notice, type HandoffPolicy } from './policy.js';
import type { AuthUser } from '../accounts/users.js';
import { KeyedLanes } from '../lib/keyed-lanes.js';

export { HANDOFF_BUTTON_LABEL, PERSON_WORDS } from './policy.js';

/** What an external bot gets back from `transferToAgent`. */
export interface TransferResult {
  conversationId: string;
  status: ConversationStatus;
  queuePosition?: number;
  /** The session of a conversation this transfer opened. */
  session?: string;
}

/**
 * The human side of a conversation: bot -> waiting -> agent -> resolved (back to the bot).
 * Requests come from the visitor (typed words or the button, see `HandoffPolicy`), a flow step,
 * an AI tool call or an external bot; agents claim, reply, resolve or return to the bot. Every
 * change is one write through the chat (dense sequence numbers), published after its commit.
 */
export class HandoffService {
  private readonly statements;
  /** Transfers of the same external user, one after another (a retry never opens two conversations). */
  private readonly transfers = new KeyedLanes();

  constructor(
    database: DatabaseHandle,
    private readonly writes: WriteQueue,
    private readonly chat: ChatService,
    private readonly conversations: ConversationStore,
    private readonly flows: FlowRegistry,
    private readonly inbox: InboxRepository,
    private readonly policy: HandoffPolicy,
    private readonly bus: EventBus,
    private readonly outbox: Outbox,
  ) {
    const { db } = database;
    const owned = { id: param<string>(), company: param<string>() };
    this.statements = {
      context: prepareQuery(database, { ...owned, context: param<string>() }, (p) =>
        db.updateTable('conversations').set({ handoff_context: p.context }).where('id', '=', p.id).where('company_id', '=', p.company),
      ),
      setVisitor: prepareQuery(database, { ...owned, visitor: param<string>() }, (p) =>
        db.updateTable('conversations').set({ visitor_id: p.visitor }).where('id', '=', p.id).where('company_id', '=', p.company),
      ),
      byVisitor: prepareQuery(database, { company: param<string>(), visitor: param<string>() }, (p) =>
        db
          .selectFrom('conversations')
          .select('id')
          .where('company_id', '=', p.company)
          .where('visitor_id', '=', p.visitor)
          .where('status', '!=', 'closed')
          .orderBy('created_at', 'desc')
          .limit(1),
      ),
    };
  }

  // ---- agents ----------------------------------------------------------------------------------

  /** The agent takes a conversation (waiting, or with the bot). Admins may take one from a colleague. */
  claim(user: AuthUser, conversationId: string): Promise<LiveConversation> {
    // Decided again on a fresh copy when another node changed the conversation meanwhile: of two
    // agents claiming at once on two nodes, one wins and the other is told it is taken.
    return retryStale(() => this.claimOnce(user, conversationId));
  }

  private async claimOnce(user: AuthUser, conversationId: string): Promise<LiveConversation> {
    const conversation = await this.owned(user, conversationId);
    if (conversation.status === 'agent' && conversation.assigneeId === user.id) return conversation;
    this.assertMayAct(user, conversation);
    const wasWaiting = conversation.status === 'waiting';
    await this.chat.record(conversation, [notice(`${user.name} joined the conversation.`)], { status: 'agent', assigneeId: user.id }, {
      state: { agent: { name: user.name } },
    });
    if (wasWaiting) this.refreshQueue(conversation.companyId);
    return conversation;
  }

  /** Ends the person's part: a notice, status `resolved`, and the bot asks its waiting question again. */
  resolve(user: AuthUser, conversationId: string): Promise<LiveConversation> {
    return this.handBack(user, conversationId, 'resolved', `${user.name} marked the conversation as resolved.`);
  }

  /** Gives the conversation back to the bot without resolving it. */
  returnToBot(user: AuthUser, conversationId: string): Promise<LiveConversation> {
    return this.handBack(user, conversationId, 'bot', `${user.name} handed the conversation back to the bot.`);
  }

  /**
   * An agent's reply, stored as escaped plain text. Replying to a conversation nobody has claims
   * it. A `clientId` seen before answers with the stored message (resends are stored once).
   */
  reply(
    user: AuthUser,
    conversationId: string,
    text: string,
    options: { clientId?: string | undefined; origin?: string | undefined } = {},
  ): Promise<{ message: ChatMessage; duplicate: boolean }> {
    return retryStale(() => this.replyOnce(user, conversationId, text, options)).catch((error: unknown) => {
      // Another node stored this client id first (PostgreSQL).
      if (error instanceof DuplicateClientMessage) return this.storedReply(conversationId, error.seq);
      throw error;
    });
  }

  /** The agent message stored at `seq`, as the answer to a resend of it. */
  private async storedReply(conversationId: string, seq: number): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const [message] = await this.conversations.messagesAfter(conversationId, seq - 1, 1);
    if (!message || message.role !== 'agent') throw Errors.conflict('This message id is already used in the conversation');
    return { message, duplicate: true };
  }

  private async replyOnce(
    user: AuthUser,
    conversationId: string,
    text: string,
    options: { clientId?: string | undefined; origin?: string | undefined },
  ): Promise<{ message: ChatMessage; duplicate: boolean }> {
    const conversation = await this.owned(user, conversationId);
    if (options.clientId) {
      const existing = this.conversations.findClientMessage(conversation, options.clientId);
      if (existing) {
        await existing.committed;
        return this.storedReply(conversation.id, existing.message.seq);
      }
    }
    if (!(conversation.status === 'agent' && conversation.assigneeId === user.id)) this.assertMayAct(user, conversation);
    const messages: NewMessage[] = [];
    const claiming = conversation.status !== 'agent';
    const wasWaiting = conversation.status === 'waiting';
    if (claiming) messages.push(notice(`${user.name} joined the conversation.`));
    messages.push({
      role: 'agent',
      components: [{ type: 'text', payload: { text: escapeHtml(text) } }],
      ...(options.clientId ? { clientId: options.clientId } : {}),
      authorId: user.id,
      author: { name: user.name, ...(user.avatarUrl ? { avatar_url: user.avatarUrl } : {}) },
    });
    const stored = await this.chat.record(conversation, messages, claiming ? { status: 'agent', assigneeId: user.id } : {}, {
      origin: options.origin,
      ...(claiming ? { state: { agent: { name: user.name } } } : {}),
    });
    if (wasWaiting) this.refreshQueue(conversation.companyId);
    return { message: stored[stored.length - 1]!, duplicate: false };
  }

  /** Puts an agent's conversations back in the queue (the account was disabled or deleted). */
  async release(user: { id: string; companyId: string; name: string }): Promise<void> {
    for (const id of await this.inbox.assignedTo(user.companyId, user.id)) {
      const conversation = await this.conversations.get(id);
      if (!conversation || conversation.status !== 'agent' || conversation.assigneeId !== user.id) continue;
      const position = await this.policy.position(conversation);
      // Claimed or handed back while the queue was counted.
      if (conversation.status !== 'agent' || conversation.assigneeId !== user.id) continue;
      await this.chat.record(
        conversation,
        [notice(`${user.name} left the conversation. Someone else will be with you shortly.`)],
        { status: 'waiting', assigneeId: null },
        { state: { position } },
      );
    }
    this.refreshQueue(user.companyId);
  }

  // ---- external bots ---------------------------------------------------------------------------

  /**
   * `POST /api/transfer_to_agent`: hands an external bot's user to a person. The user's open
   * conversation is reused (found by their id in the caller's system); otherwise one is opened,
   * and its session returned so the caller can relay messages.
   */
  transfer(company: Company, visitorId: string, context?: string): Promise<TransferResult> {
    return this.transfers.run(`${company.id}\u0000${visitorId}`, () => this.transferNow(company, visitorId, context));
  }

  private async transferNow(company: Company, visitorId: string, context?: string): Promise<TransferResult> {
    const row = await this.statements.byVisitor.get({ company: company.id, visitor: visitorId });
    let conversation = row ? await this.conversations.get(row.id) : undefined;
    let session: string | undefined;
    if (!conversation || conversation.status === 'closed') {
      const made = this.conversations.create({ companyId: company.id, flowId: this.flows.active(company.id)?.id ?? null }, initialState(), false, []);
      await made.committed;
      conversation = made.conversation;
      session = made.token;
      const id = conversation.id;
      await this.writes.run(() => this.statements.setVisitor.run({ id, company: company.id, visitor: visitorId }), { lock: id });
    }
    if (conversation.status === 'waiting' || conversation.status === 'agent') {
      const id = conversation.id;
      if (context) await this.writes.run(() => this.statements.context.run({ id, company: company.id, context }), { lock: id });
    } else {
      await this.chat.requestHandoff(conversation, 'api', context ? { context } : {});
    }
    const position =
      conversation.status === 'waiting' ? (await this.inbox.queue(company.id)).indexOf(conversation.id) + 1 : 0;
    return {
      conversationId: conversation.id,
      status: conversation.status,
      ...(position > 0 ? { queuePosition: position } : {}),
      ...(session ? { session } : {}),
    };
  }

  // ---- helpers ---------------------------------------------------------------------------------

  /** The live conversation if it belongs to the user's company; 404 otherwise (never another company's). */
  owned(user: { companyId: string }, conversationId: string): Promise<LiveConversation> {
    return this.conversations.ownedBy(user.companyId, conversationId);
  }

  private assertMayAct(user: AuthUser, conversation: LiveConversation): void {
    if (conversation.status === 'closed') throw Errors.conflict('This conversation is closed');
    if (conversation.status === 'agent' && conversation.assigneeId && conversation.assigneeId !== user.id && !hasRole(user.role, 'admin')) {
      throw Errors.conflict('Another agent has this conversation');
    }
  }

  private handBack(user: AuthUser, conversationId: string, status: 'resolved' | 'bot', text: string): Promise<LiveConversation> {
    return retryStale(() => this.handBackOnce(user, conversationId, status, text));
  }

  private async handBackOnce(user: AuthUser, conversationId: string, status: 'resolved' | 'bot', text: string): Promise<LiveConversation> {
    const conversation = await this.owned(user, conversationId);
    this.assertMayAct(user, conversation);
    if (conversation.status !== 'waiting' && conversation.status !== 'agent') {
      throw Errors.conflict(`This conversation is not with a person (it is ${conversation.status})`);
    }
    const wasWaiting = conversation.status === 'waiting';
    if (status === 'resolved') await this.chat.knowRating(conversation);
    const resume = this.chat.botResumption(conversation);
    const by = { id: user.id, name: user.name };
    const resolved = { type: 'resolved' as const, conversationId: conversation.id, companyId: conversation.companyId, by };
    await this.chat.record(
      conversation,
      [notice(text), ...(status === 'resolved' ? this.chat.ratingPrompt(conversation, 'agent') : []), ...resume.messages],
      { ...resume.changes, status, assigneeId: null },
      status === 'resolved' ? { after: () => this.outbox.add(resolved.companyId, 'resolved', () => resolved) } : {},
    );
    if (status === 'resolved') this.bus.publish(topics.company(conversation.companyId), resolved);
    if (wasWaiting) this.refreshQueue(conversation.companyId);
    return conversation;
  }

  /**
   * A visitor (re)connected to a conversation a person has or is waiting for: tell them again
   * where they are (their place, or who is with them). Sent after the welcome and replay.
   */
  async remind(conversation: { id: string; companyId: string }): Promise<void> {
    const live = await this.conversations.get(conversation.id);
    if (!live || (live.status !== 'waiting' && live.status !== 'agent')) return;
    this.inbox.get(conversation.companyId, conversation.id).then(
      (chat) => {
        if (chat.status !== 'waiting' && chat.status !== 'agent') return;
        this.bus.publish(topics.conversation(chat.id), {
          type: 'state',
          conversationId: chat.id,
          companyId: conversation.companyId,
          status: chat.status,
          ...(chat.queue_position ? { position: chat.queue_position } : {}),
          ...(chat.assignee ? { agent: { name: chat.assignee.name } } : {}),
        });
      },
      () => undefined,
    );
  }

  /** Tells every waiting visitor of the company their new place, after the queue moved. */
  private refreshQueue(companyId: string): void {
    this.inbox.queue(companyId).then(
      (ids) =>
        ids.forEach((id, i) => {
          const event = { type: 'state' as const, conversationId: id, companyId, status: 'waiting' as const, position: i + 1 };
          this.bus.publish(topics.conversation(id), event);
          this.bus.publish(topics.company(companyId), event);
        }),
      () => undefined,
    );
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Hand-off to people: requests, claims, replies, resolving, external transfers. */
    handoff: HandoffService;
  }
}


export default fp(
  async (app) => {
    const handoff = new HandoffService(app.database, app.writes, app.chat, app.conversations, app.flows, app.inbox, app.handoffPolicy, app.bus, app.outbox);
    app.presence.onVisitorConnected((conversation) => handoff.remind(conversation));
    app.decorate('handoff', handoff);
  },
  { name: 'handoff', dependencies: ['database', 'chat', 'handoff-policy', 'conversations', 'flows', 'inbox', 'presence', 'bus', 'outbox'] },
);
