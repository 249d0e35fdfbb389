import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '@parley/protocol';
import { noAuth } from '../core/api-security.js';
import { tag } from '../core/api-tags.js';

/** The document as sent: an object to the schema, a string already serialized on the wire. */
const OpenApiDocument = Type.Unsafe<Record<string, unknown> | string>({ type: 'object', additionalProperties: true, description: 'An OpenAPI 3.1 document' });

/**
 * `GET /api/openapi.json`: the OpenAPI 3.1 document, built and serialized once, on the first
 * request (every route is registered by then), and sent as is afterwards.
 */
const openapiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  let document: string | undefined;
  app.get(
    '/api/openapi.json',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: { summary: 'This OpenAPI 3.1 document', tags: [tag('system')], security: noAuth, response: { 200: OpenApiDocument, '4xx': ApiError, '5xx': ApiError } },
    },
    async (_request, reply) => {
      document ??= JSON.stringify(app.swagger());
      // A string with a JSON content type skips serialization.
      return reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(document);
    },
  );
};

export default openapiRoutes;
