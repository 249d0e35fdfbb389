import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, TransferToAgentRequest, TransferToAgentResponse, userIdString } from '@parley/protocol';
import { Errors } from '../errors.js';
import type { Company } from '../companies/companies.js';
import { apiKeyAuth, tag } from '../openapi/index.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('integrations')], security: apiKeyAuth };

declare module 'fastify' {
  interface FastifyRequest {
    /** The company whose API key authenticated a server-to-server call. */
    apiCompany?: Company;
  }
}

/**
 * `POST /api/transfer_to_agent`: an external bot hands its user to a person. Authenticated with
 * the company API key (`x-api-key: sk_...` or `Authorization: Bearer sk_...`); a `company_id`
 * other than the key's answers 404, exactly like an unknown company.
 */
const transfer: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/api/transfer_to_agent',
    {
      config: { rateLimit: { max: app.config.limits.httpRequestsPerMinute, timeWindow: '1 minute' } },
      onRequest: async (request) => {
        const header = request.headers['x-api-key'];
        const key = (typeof header === 'string' ? header : undefined) ?? app.auth.bearer(request);
        if (!key || key.length > 200) throw Errors.unauthorized('A company API key is required (x-api-key header)');
        const company = await app.companies.byApiKey(key);
        if (!company) throw Errors.unauthorized('Unknown API key');
        request.apiCompany = company;
      },
      schema: { summary: 'Hand a user of an external bot over to the agents', ...openapi, body: TransferToAgentRequest, response: { 200: TransferToAgentResponse, '4xx': ApiError, '5xx': ApiError } },
    },
    async (request) => {
      const company = request.apiCompany!;
      if (request.body.company_id !== company.id) throw Errors.notFound('Company not found');
      const result = await app.handoff.transfer(company, userIdString(request.body.user_id), request.body.context);
      return {
        conversation_id: result.conversationId,
        status: result.status,
        ...(result.queuePosition ? { queue_position: result.queuePosition } : {}),
        ...(result.session ? { chatbot_session: result.session } : {}),
      };
    },
  );
};

export default transfer;
