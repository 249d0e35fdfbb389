import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError, CreateSavedReplyRequest, SavedReplyList, SavedReplyResponse, Strict, UpdateSavedReplyRequest } from '@parley/protocol';
import { perAccount } from '../accounts/auth.js';
import { agentAuth, tag } from '../openapi/index.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('savedReplies')], security: agentAuth };

const ReplyParams = Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const errors = { '4xx': ApiError, '5xx': ApiError } as const;

/**
 * Saved replies: every agent of the company lists them (the composer offers them after `/`);
 * admins add, change and remove them. Another company's reply answers 404.
 */
const savedReplies: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const config = { rateLimit: perAccount(app.config.limits.agentRequestsPerMinute) };
  const admin = app.requireRole('admin');

  app.get('/api/saved-replies', { config, schema: { summary: 'List saved replies', ...openapi, response: { 200: SavedReplyList, ...errors } } }, async (request) => ({
    replies: await app.savedReplies.list(request.user.companyId),
  }));

  app.post(
    '/api/saved-replies',
    { config, onRequest: admin, schema: { summary: 'Add a saved reply (admins)', ...openapi, body: CreateSavedReplyRequest, response: { 201: SavedReplyResponse, ...errors } } },
    async (request, reply) => reply.code(201).send({ reply: await app.savedReplies.create(request.user.companyId, request.body) }),
  );

  app.patch(
    '/api/saved-replies/:id',
    { config, onRequest: admin, schema: { summary: 'Change a saved reply (admins)', ...openapi, params: ReplyParams, body: UpdateSavedReplyRequest, response: { 200: SavedReplyResponse, ...errors } } },
    async (request) => ({ reply: await app.savedReplies.update(request.user.companyId, request.params.id, request.body) }),
  );

  app.delete(
    '/api/saved-replies/:id',
    { config, onRequest: admin, schema: { summary: 'Delete a saved reply (admins)', ...openapi, params: ReplyParams, response: { 204: Type.Null(), ...errors } } },
    async (request, reply) => {
      await app.savedReplies.remove(request.user.companyId, request.params.id);
      return reply.code(204).send(null);
    },
  );
};

export default savedReplies;
