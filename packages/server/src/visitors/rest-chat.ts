import { createHash } from 'node:crypto';
import fp from 'fastify-plugin';
import {
  componentsToText,
  type ChatMessage,
  type RestChatMessageRequest,
  type RestChatMessageResponse,
  type RestHistoryEntry,
  type RestHistoryResponse,
  userIdString,
} from '@parley/protocol';
import type { DatabaseHandle } from '../db/handle.js';
import { param, prepareQuery } from '../db/prepared.js';
import { Errors } from '../errors.js';
import { KeyedLanes } from '../lib/keyed-lanes.js';
import type { ChatService } from '../conversations/chat.js';
import type { Company } from '../companies/companies.js';
import type { ConversationStore, LiveConversation } from '../conversations/conversations.js';

/** The bot's replies as one readable plain text, message after message. */
export function flattenReplies(messages: ChatMessage[]): string {
  return messages
    .filter((m) => m.role !== 'user')
    .map((m) => componentsToText(m.components))
    .filter((text) => text !== '')
    .join('\n\n');
}

/**
 * The id of the conversation a user's first message opens, derived from the message (a UUID of
 * version 8 from its hash), so that the same first message on two nodes names one conversation.
 */
export function firstMessageConversationId(companyId: string, userId: string, messageId: string): string {
  const hash = createHash('sha256').update(`${companyId}\u0000${userId}\u0000${messageId}`).digest();
  hash[6] = (hash[6]! & 0x0f) | 0x80;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A `POST /api/chat-message` body with its user id in the one stored form (`1` is `"1"`). */
type RestMessage = Omit<RestChatMessageRequest, 'user_id'> & { user_id: string };

/**
 * The REST chat API for headless clients: conversations keyed by the caller's own user id,
 * idempotent by message id, replies flattened to plain text.
 */
export class RestChatService {
  private readonly statements;
  /** One request at a time per user on this node; across nodes, a first message names its conversation (`firstMessageConversationId`). */
  private readonly lanes = new KeyedLanes();

  constructor(
    database: DatabaseHandle,
    private readonly chat: ChatService,
    private readonly conversations: ConversationStore,
  ) {
    const { db } = database;
    this.statements = {
      visitorOf: prepareQuery(database, { id: param<string>() }, (p) => db.selectFrom('conversations').select('visitor_id').where('id', '=', p.id)),
      byClientId: prepareQuery(database, { company: param<string>(), visitor: param<string>(), clientId: param<string>() }, (p) =>
        db
          .selectFrom('conversations as c')
          .innerJoin('messages as m', 'm.conversation_id', 'c.id')
          .select('m.conversation_id')
          .where('c.company_id', '=', p.company)
          .where('c.visitor_id', '=', p.visitor)
          .where('m.client_id', '=', p.clientId)
          .limit(1),
      ),
    };
  }

  /** `POST /api/chat-message`: one message in, the bot's whole reply out. */
  send(company: Company, request: RestChatMessageRequest, ip: string): Promise<RestChatMessageResponse> {
    const body: RestMessage = { ...request, user_id: userIdString(request.user_id) };
    return this.lanes.run(`${company.id}\u0000${body.user_id}`, () => this.sendNow(company, body, ip));
  }

  /** `GET /api/get-conversation-history/:id`: the user's and the assistant's messages in order. */
  async history(company: Company, conversationId: string, demo: boolean): Promise<RestHistoryResponse> {
    const conversation = await this.owned(company, conversationId, demo);
    const messages: RestHistoryEntry[] = [];
    for (let after = 0; ; ) {
      const page = await this.conversations.messagesAfter(conversation.id, after, 500);
      for (const message of page) {
        if (message.role === 'system') continue;
        const text = componentsToText(message.components);
        if (text) messages.push({ role: message.role === 'user' ? 'user' : 'assistant', message: text });
      }
      if (page.length < 500) break;
      after = page.at(-1)!.seq;
    }
    return { conversation_id: conversation.id, message_count: messages.length, messages };
  }

  private async sendNow(company: Company, body: RestMessage, ip: string): Promise<RestChatMessageResponse> {
    if (!body.conversation_id) {
      // A retried first message finds the conversation it opened.
      const earlier = await this.statements.byClientId.get({ company: company.id, visitor: body.user_id, clientId: body.message_id });
      if (earlier) return this.reply((await this.conversations.get(earlier.conversation_id))!, body);
      const id = firstMessageConversationId(company.id, body.user_id, body.message_id);
      try {
        const { conversation, messages } = await this.chat.start(company, { ip, visitorId: body.user_id, conversationId: id }, { text: body.message, clientId: body.message_id });
        return { message: flattenReplies(messages), conversation_id: conversation.id };
      } catch (error) {
        // Another node took the same first message at the same moment and stored the conversation
        // under this id first: answer from what it stored.
        this.conversations.forget(id);
        const theirs = await this.conversations.get(id);
        if (theirs?.companyId !== company.id) throw error;
        return this.reply(theirs, body);
      }
    }
    const conversation = await this.conversations.ownedBy(company.id, body.conversation_id);
    if ((await this.visitorOf(conversation)) !== body.user_id) throw Errors.notFound('Conversation not found');
    return this.reply(conversation, body);
  }

  private async reply(conversation: LiveConversation, body: RestMessage): Promise<RestChatMessageResponse> {
    const result = await this.chat.handleInput(conversation, { kind: 'text', text: body.message }, { clientId: body.message_id });
    return { message: flattenReplies(result.replies), conversation_id: conversation.id };
  }

  /** The conversation when the caller may read it: its company's, and in demo mode only REST-made ones. */
  private async owned(company: Company, conversationId: string, demo: boolean): Promise<LiveConversation> {
    const conversation = await this.conversations.ownedBy(company.id, conversationId);
    if (demo && (await this.visitorOf(conversation)) === null) throw Errors.notFound('Conversation not found');
    return conversation;
  }

  private async visitorOf(conversation: LiveConversation): Promise<string | null> {
    return (await this.statements.visitorOf.get({ id: conversation.id }))?.visitor_id ?? null;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    restChat: RestChatService;
  }
}

export default fp(
  async (app) => {
    app.decorate('restChat', new RestChatService(app.database, app.chat, app.conversations));
  },
  { name: 'rest-chat', dependencies: ['database', 'chat', 'conversations'] },
);
