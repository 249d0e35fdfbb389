import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '@parley/protocol';
import { noAuth } from './security.js';
import { tag } from './tags.js';

/** `GET /api/openapi.json`: the OpenAPI 3.1 document, built once after the last route was added. */
const openapiRoutes: FastifyPluginAsyncTypebox = async (app) => {
  let document: Record<string, unknown> | undefined;
  app.get(
    '/api/openapi.json',
    {
      schema: {
        summary: 'This OpenAPI 3.1 document',
        tags: [tag('system')],
        security: noAuth,
        response: { 200: Type.Unsafe<Record<string, unknown>>({ type: 'object', additionalProperties: true, description: 'An OpenAPI 3.1 document' }), '5xx': ApiError },
      },
    },
    async (_request, reply) => {
      document ??= app.swagger() as unknown as Record<string, unknown>;
      return reply.header('cache-control', 'no-cache').send(document);
    },
  );
};

export default openapiRoutes;
