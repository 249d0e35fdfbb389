import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AiConfigUpdate, AiConfigView, AiTestRequest, AiTestResponse, ApiError } from '@parley/protocol';
import { perAccount } from '../accounts/auth.js';
import { agentAuth, tag } from '../openapi/index.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('ai')], security: agentAuth };

/**
 * AI settings of the caller's company (admins): read them (the API key only as set/unset),
 * change them, and test them with one message.
 */
const ai: FastifyPluginAsyncTypebox = async (app) => {
  const config = { rateLimit: perAccount(app.config.limits.agentRequestsPerMinute) };
  const errors = { '4xx': ApiError, '5xx': ApiError };

  app.get(
    '/api/ai/config',
    { config, onRequest: app.requireRole('admin'), schema: { summary: 'Get the AI provider settings (admins; the key is never returned)', ...openapi, response: { 200: AiConfigView, ...errors } } },
    async (request) => app.ai.view(request.user.companyId),
  );

  app.put(
    '/api/ai/config',
    { config, onRequest: app.requireRole('admin'), schema: { summary: 'Change the AI provider settings (admins)', ...openapi, body: AiConfigUpdate, response: { 200: AiConfigView, ...errors } } },
    async (request) => app.ai.update(request.user.companyId, request.body),
  );

  app.post(
    '/api/ai/test',
    {
      config: { rateLimit: perAccount(10) },
      onRequest: app.requireRole('admin'),
      schema: { summary: 'Try the AI settings with one message (admins)', ...openapi, body: AiTestRequest, response: { 200: AiTestResponse, ...errors } },
    },
    async (request) => app.ai.test(request.user.companyId, request.body.message),
  );
};

export default ai;
