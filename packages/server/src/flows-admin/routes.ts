import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ApiError,
  CompanyFlowResponse,
  FlowDraftResponse,
  FlowProblemsError,
  FlowVersionList,
  FlowVersionParams,
  FlowVersionResponse,
  PublishFlowResponse,
} from '@parley/protocol';
import type { ParleyConfig } from '../config.js';
import { perAccount } from '../plugins/app/auth.js';

const errors = { '4xx': ApiError, '5xx': ApiError } as const;
/** A flow document is small JSON; this leaves room for 50 catalog products and hundreds of steps. */
const FLOW_BODY_LIMIT = 1024 * 1024;
const FlowDocument = Type.Unknown({ description: 'a flow document (docs/flows.md); checked by checkFlow' });

/**
 * A company's bot, for its admins only (agents get 403; another company's flows are out of reach
 * because every route works on the caller's own company):
 * - `GET /api/company/flow` the published flow; `PUT` checks and publishes one (400 lists every
 *   problem and changes nothing; 200 gives the new version);
 * - `GET /api/company/flow/export` the published flow as a JSON file (import it with `PUT`);
 * - `GET /api/company/flow/versions`, `GET .../versions/:n`, `POST .../versions/:n/publish` (roll back);
 * - `GET|PUT|DELETE /api/company/flow/draft` the builder's unpublished work.
 */
const flowAdminRoutes: FastifyPluginAsyncTypebox<{ config: ParleyConfig }> = async (app, opts) => {
  const config = { rateLimit: perAccount(opts.config.limits.agentRequestsPerMinute) };
  const onRequest = app.requireRole('admin');

  app.get('/api/company/flow', { config, onRequest, schema: { response: { 200: CompanyFlowResponse, ...errors } } }, async (request) =>
    app.flowAdmin.published(request.user.companyId),
  );

  app.put(
    '/api/company/flow',
    {
      config,
      onRequest,
      bodyLimit: FLOW_BODY_LIMIT,
      schema: { body: FlowDocument, response: { 200: PublishFlowResponse, 400: Type.Union([FlowProblemsError, ApiError]), ...errors } },
    },
    async (request, reply) => {
      const result = await app.flowAdmin.publish(request.user.companyId, request.body, request.user.id);
      if ('problems' in result) {
        const count = result.problems.length;
        return reply.code(400).send({
          statusCode: 400,
          code: 'validation_failed',
          error: 'Bad Request',
          message: `The flow has ${count} problem${count === 1 ? '' : 's'}; nothing was published`,
          problems: result.problems,
        });
      }
      return result;
    },
  );

  app.get('/api/company/flow/export', { config, onRequest, schema: { response: { 200: Type.Unknown(), ...errors } } }, async (request, reply) => {
    const { flow, version } = await app.flowAdmin.published(request.user.companyId);
    const name = `${flow.id}-v${version}.json`.replace(/[^A-Za-z0-9_.-]/g, '_');
    return reply.header('content-disposition', `attachment; filename="${name}"`).send(flow);
  });

  app.get('/api/company/flow/versions', { config, onRequest, schema: { response: { 200: FlowVersionList, ...errors } } }, async (request) => ({
    versions: await app.flowAdmin.versions(request.user.companyId),
  }));

  app.get(
    '/api/company/flow/versions/:n',
    { config, onRequest, schema: { params: FlowVersionParams, response: { 200: FlowVersionResponse, ...errors } } },
    async (request) => app.flowAdmin.version(request.user.companyId, request.params.n),
  );

  app.post(
    '/api/company/flow/versions/:n/publish',
    { config, onRequest, schema: { params: FlowVersionParams, response: { 200: PublishFlowResponse, ...errors } } },
    async (request) => app.flowAdmin.rollback(request.user.companyId, request.params.n),
  );

  app.get('/api/company/flow/draft', { config, onRequest, schema: { response: { 200: FlowDraftResponse, ...errors } } }, async (request) =>
    app.flowAdmin.draft(request.user.companyId),
  );

  app.put(
    '/api/company/flow/draft',
    { config, onRequest, bodyLimit: FLOW_BODY_LIMIT, schema: { body: FlowDocument, response: { 200: FlowDraftResponse, ...errors } } },
    async (request) => app.flowAdmin.saveDraft(request.user.companyId, request.body, request.user.id),
  );

  app.delete('/api/company/flow/draft', { config, onRequest, schema: { response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await app.flowAdmin.deleteDraft(request.user.companyId);
    return reply.code(204).send(null);
  });
};

export default flowAdminRoutes;
