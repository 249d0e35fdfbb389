import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ChatbotMessageRequest,
  ChatbotMessagesQuery,
  ChatbotMessagesResponse,
  ChatbotReply,
  ChatbotStartQuery,
  ChatbotStartResponse,
  IdentifyRequest,
  IdentifyResponse,
  SessionCloseRequest,
  SessionCloseResponse,
  SessionToken,
  ApiError,
  type ChatMessage,
  type Component,
  type VisitorInput,
} from '@parley/protocol';
import { Compile } from 'typebox/compile';
import { Errors } from '../errors.js';
import { sessionFrom, setSessionCookie } from '../core/session-cookie.js';
import { noAuth, visitorAuth, tag } from '../openapi/index.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('visitor')], security: visitorAuth };

const validSession = Compile(SessionToken);

function botComponents(messages: ChatMessage[]): Component[] {
  return messages.filter((m) => m.role !== 'user').flatMap((m) => m.components);
}

/**
 * The component chat API: start a conversation, send input, catch up, close. Errors come back in
 * the same BOT shape as replies, so a client renders them like any other message.
 */
const chatbot: FastifyPluginAsyncTypebox = async (app) => {
  const rateLimit = { max: app.config.limits.httpRequestsPerMinute, timeWindow: '1 minute' };
  const config = { botErrors: true, rateLimit };

  /** A browser page may only talk to a company that allows its origin. */
  const checkOrigin = (companyId: string, origin: string | undefined) => {
    const company = app.companies.byIdOrUndefined(companyId);
    if (company && !app.companies.allowsOrigin(company, origin)) throw Errors.forbidden('Origin not allowed');
  };

  const sessionOf = async (token: string | undefined, origin: string | undefined) => {
    if (token === undefined) throw Errors.badRequest('chatbot_session is required, in the body or the session cookie');
    if (!validSession.Check(token)) throw Errors.notFound('Unknown chatbot session');
    const conversation = await app.chat.resolveSession(token);
    checkOrigin(conversation.companyId, origin);
    return conversation;
  };

  app.get(
    '/api/chatbot',
    { config, schema: { summary: "Start a conversation with the site's bot (identified by its public site key)", tags: [tag('visitor')], security: noAuth, querystring: ChatbotStartQuery, response: { 200: ChatbotStartResponse, '4xx': ChatbotReply, '5xx': ChatbotReply } } },
    async (request, reply) => {
      const company = app.companies.resolveSite(request.query.site);
      checkOrigin(company.id, request.headers.origin);
      const { token, messages, conversation } = await app.chat.start(company, {
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      setSessionCookie(request, reply, token);
      return { BOT: { components: botComponents(messages) }, chatbot_session: token, is_terminal: conversation.isTerminal };
    },
  );

  app.post(
    '/api/chatbot',
    { config, schema: { summary: 'Send a message or a form to the bot and get its replies', ...openapi, body: ChatbotMessageRequest, response: { 200: ChatbotReply, '4xx': ChatbotReply, '5xx': ChatbotReply } } },
    async (request) => {
      const { message, form, message_id: clientId } = request.body;
      if ((message === undefined) === (form === undefined)) throw Errors.validation('body: send either "message" or "form"');
      const conversation = await sessionOf(sessionFrom(request, request.body.chatbot_session), request.headers.origin);
      const input: VisitorInput = form ? { kind: 'form', form: form.id, values: form.values } : { kind: 'text', text: message! };
      const result = await app.chat.handleInput(conversation, input, { clientId });
      const lead = result.leads?.at(-1);
      return {
        BOT: { components: botComponents(result.replies) },
        is_terminal: result.isTerminal,
        ...(lead ? { lead: { id: lead.id, data: lead.data } } : {}),
      };
    },
  );

  app.post(
    '/api/identify',
    { config: { rateLimit }, schema: { summary: 'Identify the visitor (optionally verified with an identity token)', ...openapi, body: IdentifyRequest, response: { 200: IdentifyResponse, '4xx': ApiError, '5xx': ApiError } } },
    async (request, reply) => {
      const { chatbot_session, ...claim } = request.body;
      const conversation = await sessionOf(sessionFrom(request, chatbot_session), request.headers.origin);
      const company = app.chat.companyOf(conversation);
      if (!company) throw Errors.notFound('Unknown chatbot session');
      const outcome = await app.identity.identify(company, conversation, claim, { ip: request.ip, userAgent: request.headers['user-agent'] });
      if (outcome.session) setSessionCookie(request, reply, outcome.session);
      const { identity } = outcome;
      return {
        verified: identity.verified,
        ...(identity.userId ? { user_id: identity.userId } : {}),
        ...(identity.error ? { error: identity.error } : {}),
        chatbot_session: outcome.session ?? sessionFrom(request, chatbot_session)!,
        conversation_id: outcome.conversation.id,
        switched: outcome.switched,
      };
    },
  );

  app.get(
    '/api/chatbot/messages',
    {
      config: { rateLimit },
      schema: { summary: 'Catch up on the messages after a sequence number', ...openapi, querystring: ChatbotMessagesQuery, response: { 200: ChatbotMessagesResponse, '4xx': ApiError } },
    },
    async (request) => {
      const conversation = await sessionOf(sessionFrom(request, request.query.chatbot_session), request.headers.origin);
      return {
        conversation_id: conversation.id,
        status: conversation.status,
        is_terminal: conversation.isTerminal,
        last_seq: conversation.lastSeq,
        messages: await app.conversations.messagesAfter(conversation.id, Number(request.query.after ?? 0)),
      };
    },
  );

  app.post(
    '/api/session-close/',
    { config, schema: { summary: "Close the visitor's conversation", ...openapi, body: SessionCloseRequest, response: { 200: SessionCloseResponse, '4xx': ChatbotReply } } },
    async (request) => {
      const conversation = await app.conversations.bySessionToken(request.body.chatbot_session);
      if (!conversation) throw Errors.notFound('Unknown chatbot session');
      await app.chat.close(conversation);
      return { message: 'Session scheduled for closure.' };
    },
  );
};

export default chatbot;
