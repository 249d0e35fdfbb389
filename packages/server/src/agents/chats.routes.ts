import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  AgentReplyRequest,
  AgentReplyResponse,
  ApiError,
  ChatActionResponse,
  ChatDetail,
  ChatList,
  ChatListQuery,
  CreateNoteRequest,
  CreateChatResponse,
  MarkReadRequest,
  MarkReadResponse,
  MessageList,
  MessageListQuery,
  NoteList,
  NoteResponse,
  SearchQuery,
  SearchResponse,
  Strict,
  Transcript,
  TranscriptQuery,
} from '@parley/protocol';
import { Errors } from '../errors.js';
import { transcriptText } from '../lib/transcript.js';
import { perAccount } from '../accounts/auth.js';
import type { AuthUser } from '../accounts/users.js';
import { agentAuth, tag } from '../openapi/index.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('chats')], security: agentAuth };

const ChatParams = Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ConversationParams = Strict({ conversationId: Type.String({ minLength: 1, maxLength: 64 }) });
const NoteParams = Strict({ id: Type.String({ minLength: 1, maxLength: 64 }), noteId: Type.String({ minLength: 1, maxLength: 64 }) });
const MessageParams = Strict({ id: Type.String({ pattern: '^[0-9]{1,15}$' }) });
/** Action routes take no body; clients may send `{}`. */
const EmptyBody = Type.Union([Strict({}), Type.Null()]);
const errors = { '4xx': ApiError, '5xx': ApiError } as const;

/**
 * The agents' REST API over their company's conversations: the inbox, one chat, its messages,
 * read marks, claiming, replying, resolving, handing back to the bot, internal notes, transcripts,
 * deleting (admins), and search. Everything is
 * scoped to the caller's company: another company's conversation or message id answers 404.
 */
const chats: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const config = { rateLimit: perAccount(app.config.limits.agentRequestsPerMinute) };
  const summary = (user: AuthUser, id: string) => app.inbox.get(user.companyId, id);

  app.get('/api/chats', { config, schema: { summary: "List the inbox's conversations", ...openapi, querystring: ChatListQuery, response: { 200: ChatList, ...errors } } }, async (request) => ({
    chats: await app.inbox.list(request.user.companyId, request.user.id, request.query),
  }));

  app.post('/api/chats', { config, schema: { summary: 'Start a conversation as the company (for testing the bot)', ...openapi, body: EmptyBody, response: { 201: CreateChatResponse, ...errors } } }, async (request, reply) => {
    const company = app.companies.byIdOrUndefined(request.user.companyId);
    if (!company) throw Errors.notFound('Company not found');
    const { conversation, token } = await app.chat.start(company, { ip: request.ip, userAgent: request.headers['user-agent'] });
    return reply.code(201).send({ chat: await summary(request.user, conversation.id), chatbot_session: token });
  });

  app.get('/api/chats/:id', { config, schema: { summary: 'Get one conversation with its flow variables', ...openapi, params: ChatParams, response: { 200: ChatDetail, ...errors } } }, async (request) => {
    const chat = await summary(request.user, request.params.id);
    const live = await app.handoff.owned(request.user, chat.id);
    return { chat, variables: live.flow.vars, ...(live.attributes ? { attributes: live.attributes } : {}) };
  });

  // Internal notes: every agent of the company reads and writes them; visitors never see them.
  app.get('/api/chats/:id/notes', { config, schema: { summary: "List a conversation's internal notes", ...openapi, params: ChatParams, response: { 200: NoteList, ...errors } } }, async (request) => ({
    notes: await app.notes.list(request.user, request.params.id),
  }));
  app.post(
    '/api/chats/:id/notes',
    { config, schema: { summary: 'Add an internal note (never shown to the visitor)', ...openapi, params: ChatParams, body: CreateNoteRequest, response: { 201: NoteResponse, ...errors } } },
    async (request, reply) => reply.code(201).send({ note: await app.notes.add(request.user, request.params.id, request.body.text) }),
  );
  app.delete(
    '/api/chats/:id/notes/:noteId',
    { config, schema: { summary: 'Delete an internal note', ...openapi, params: NoteParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await app.notes.remove(request.user, request.params.id, request.params.noteId);
      return reply.code(204).send(null);
    },
  );

  // A download of the whole conversation: plain text for people, or JSON.
  app.get(
    '/api/chats/:id/transcript',
    { config, schema: { summary: 'Download the transcript as text or JSON', ...openapi, params: ChatParams, querystring: TranscriptQuery, response: { 200: Type.Union([Transcript, Type.String()]), ...errors } } },
    async (request, reply) => {
      const chat = await summary(request.user, request.params.id);
      const messages = await app.conversations.allMessages(chat.id);
      const format = request.query.format ?? 'txt';
      reply.header('content-disposition', `attachment; filename="conversation-${chat.id}.${format}"`).header('x-content-type-options', 'nosniff');
      if (format === 'json') return { chat, messages };
      return reply.type('text/plain; charset=utf-8').send(transcriptText(chat, messages));
    },
  );

  // Admins only: deletes the conversation with its messages, uploads, leads and webhook events.
  app.delete(
    '/api/chats/:id',
    { config, onRequest: app.requireRole('admin'), schema: { summary: 'Delete a conversation with everything it holds (admins)', ...openapi, params: ChatParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      if (!(await app.eraser.erase(request.user.companyId, request.params.id))) throw Errors.notFound('Conversation not found');
      return reply.code(204).send(null);
    },
  );

  /** Claim, resolve and return-to-bot: the same shape, each answering the chat as it is now. */
  const actions = {
    claim: (user: AuthUser, id: string) => app.handoff.claim(user, id),
    resolve: (user: AuthUser, id: string) => app.handoff.resolve(user, id),
    'return-to-bot': (user: AuthUser, id: string) => app.handoff.returnToBot(user, id),
  } as const;
  const summaries: Record<keyof typeof actions, string> = {
    claim: 'Take a waiting conversation for yourself',
    resolve: 'Resolve a conversation',
    'return-to-bot': 'Hand a conversation back to the bot',
  };
  for (const [action, run] of Object.entries(actions)) {
    app.post(
      `/api/chats/:id/${action}`,
      { config, schema: { summary: summaries[action as keyof typeof actions], ...openapi, params: ChatParams, body: EmptyBody, response: { 200: ChatActionResponse, ...errors } } },
      async (request) => {
        await run(request.user, request.params.id);
        return { chat: await summary(request.user, request.params.id) };
      },
    );
  }

  app.post(
    '/api/chats/:id/messages',
    { config, schema: { summary: 'Reply to the visitor as an agent', ...openapi, params: ChatParams, body: AgentReplyRequest, response: { 201: AgentReplyResponse, ...errors } } },
    async (request, reply) => {
      const { message } = await app.handoff.reply(request.user, request.params.id, request.body.text, { clientId: request.body.client_id });
      return reply.code(201).send({ conversation_id: request.params.id, message });
    },
  );

  app.get(
    '/api/messages/:conversationId',
    { config, schema: { summary: "List a conversation's messages after a sequence number", ...openapi, params: ConversationParams, querystring: MessageListQuery, response: { 200: MessageList, ...errors } } },
    async (request) => {
      const { conversationId } = request.params;
      const messages = await app.inbox.messages(request.user.companyId, conversationId, request.query.after ?? 0, request.query.limit ?? 200);
      return { conversation_id: conversationId, messages };
    },
  );

  app.patch(
    '/api/messages/:id',
    { config, schema: { summary: 'Mark a conversation read up to a message', ...openapi, params: MessageParams, body: MarkReadRequest, response: { 200: MarkReadResponse, ...errors } } },
    async (request) => {
      const { conversationId, seq } = await app.inbox.locateMessage(request.user.companyId, request.params.id);
      const unread = await app.inbox.markRead(request.user, conversationId, seq);
      return { conversation_id: conversationId, seq, unread_count: unread };
    },
  );

  app.get('/api/search', { config, schema: { summary: "Search messages across the company's conversations", ...openapi, querystring: SearchQuery, response: { 200: SearchResponse, ...errors } } }, async (request) => ({
    results: await app.inbox.search(request.user.companyId, request.query.q, request.query.limit ?? 20),
  }));
};

export default chats;
