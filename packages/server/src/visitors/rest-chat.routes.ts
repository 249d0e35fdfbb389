import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ApiError,
  RestChatMessageRequest,
  RestChatMessageResponse,
  RestHistoryResponse,
  Strict,
} from '@parley/protocol';
import type { FastifyRequest } from 'fastify';
import { Errors } from '../errors.js';
import type { Company } from '../companies/companies.js';
import { apiKeyAuth, tag } from '../openapi/index.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('integrations')], security: apiKeyAuth };

declare module 'fastify' {
  interface FastifyRequest {
    /** The company a REST chat call is for, and whether it came in keyless demo mode. */
    restCompany?: { company: Company; demo: boolean };
  }
}

/**
 * The REST chat API for headless clients: `POST /api/chat-message` and
 * `GET /api/get-conversation-history/:conversation_id`. Authenticated by the company API key
 * (`x-api-key` or `Authorization: Bearer`). Demo mode: while the default company has no API key
 * (a fresh install), calls without a key are served for it.
 */
const restChat: FastifyPluginAsyncTypebox = async (app) => {
  const config = { rateLimit: { max: app.config.limits.httpRequestsPerMinute, timeWindow: '1 minute' } };
  const errors = { '4xx': ApiError, '5xx': ApiError };

  const authenticate = async (request: FastifyRequest) => {
    const header = request.headers['x-api-key'];
    const key = (typeof header === 'string' ? header : undefined) ?? app.auth.bearer(request);
    if (key) {
      const company = key.length <= 200 ? await app.companies.byApiKey(key) : undefined;
      if (!company) throw Errors.unauthorized('Unknown API key');
      request.restCompany = { company, demo: false };
      return;
    }
    const fallback = app.companies.defaultCompany();
    if (fallback.hasApiKey) throw Errors.unauthorized('A company API key is required (x-api-key header)');
    request.restCompany = { company: fallback, demo: true };
  };

  app.post(
    '/api/chat-message',
    { config, onRequest: authenticate, schema: { summary: "Send a user's message to the bot from a server and get its replies", ...openapi, body: RestChatMessageRequest, response: { 200: RestChatMessageResponse, ...errors } } },
    async (request) => app.restChat.send(request.restCompany!.company, request.body, request.ip),
  );

  app.get(
    '/api/get-conversation-history/:conversation_id',
    {
      config,
      onRequest: authenticate,
      schema: { summary: "Get a conversation's history from a server", ...openapi, params: Strict({ conversation_id: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: RestHistoryResponse, ...errors } },
    },
    async (request) => {
      const { company, demo } = request.restCompany!;
      return app.restChat.history(company, request.params.conversation_id, demo);
    },
  );
};

export default restChat;
