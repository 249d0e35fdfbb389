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
  TryFlowRequest,
  TryFlowResponse,
  Strict,
  type FlowProblem,
} from '@parley/protocol';
import { agentAuth, tag } from '../../openapi/index.js';
import { perAccount } from '../../accounts/auth.js';
import { Errors } from '../../errors.js';

/** How these routes appear in the OpenAPI document. */
const openapi = { tags: [tag('bot')], security: agentAuth };

const errors = { '4xx': ApiError, '5xx': ApiError } as const;
/** A flow document is small JSON; this leaves room for 50 catalog products and hundreds of steps. */
const FLOW_BODY_LIMIT = 1024 * 1024;
/** The 400 body of a flow with problems. */
function problemsBody(problems: FlowProblem[], what: string) {
  const count = problems.length;
  return {
    statusCode: 400 as const,
    code: 'validation_failed' as const,
    error: 'Bad Request',
    message: `The flow has ${count} problem${count === 1 ? '' : 's'}; ${what}`,
    problems,
  };
}
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
const flowAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const config = { rateLimit: perAccount(app.config.limits.agentRequestsPerMinute) };
  const onRequest = app.requireRole('admin');

  app.get('/api/company/flow', { config, onRequest, schema: { summary: "Get the company's published bot flow (admins)", ...openapi, response: { 200: CompanyFlowResponse, ...errors } } }, async (request) =>
    app.flowAdmin.published(request.user.companyId),
  );

  app.put(
    '/api/company/flow',
    {
      config,
      onRequest,
      bodyLimit: FLOW_BODY_LIMIT,
      schema: { summary: "Validate and publish a flow as the company's bot (admins)", ...openapi, body: FlowDocument, response: { 200: PublishFlowResponse, 400: Type.Union([FlowProblemsError, ApiError]), ...errors } },
    },
    async (request, reply) => {
      const result = await app.flowAdmin.publish(request.user.companyId, request.body, request.user.id);
      if ('problems' in result) return reply.code(400).send(problemsBody(result.problems, 'nothing was published'));
      return result;
    },
  );

  app.get('/api/company/flow/export', { config, onRequest, schema: { summary: "Export the published flow as a JSON file (admins)", ...openapi, response: { 200: Type.Unknown(), ...errors } } }, async (request, reply) => {
    const { flow, version } = await app.flowAdmin.published(request.user.companyId);
    const name = `${flow.id}-v${version}.json`.replace(/[^A-Za-z0-9_.-]/g, '_');
    return reply.header('content-disposition', `attachment; filename="${name}"`).send(flow);
  });

  app.get('/api/company/flow/versions', { config, onRequest, schema: { summary: "List the published versions (admins)", ...openapi, response: { 200: FlowVersionList, ...errors } } }, async (request) => ({
    versions: await app.flowAdmin.versions(request.user.companyId),
  }));

  app.get(
    '/api/company/flow/versions/:n',
    { config, onRequest, schema: { summary: "Get one published version (admins)", ...openapi, params: FlowVersionParams, response: { 200: FlowVersionResponse, ...errors } } },
    async (request) => app.flowAdmin.version(request.user.companyId, request.params.n),
  );

  app.post(
    '/api/company/flow/versions/:n/publish',
    { config, onRequest, schema: { summary: "Publish an earlier version again: roll back (admins)", ...openapi, params: FlowVersionParams, response: { 200: PublishFlowResponse, ...errors } } },
    async (request) => app.flowAdmin.rollback(request.user.companyId, request.params.n),
  );

  app.get('/api/company/flow/draft', { config, onRequest, schema: { summary: "Get the saved draft (admins)", ...openapi, response: { 200: FlowDraftResponse, ...errors } } }, async (request) =>
    app.flowAdmin.draft(request.user.companyId),
  );

  app.put(
    '/api/company/flow/draft',
    { config, onRequest, bodyLimit: FLOW_BODY_LIMIT, schema: { summary: "Save a draft without publishing (admins)", ...openapi, body: FlowDocument, response: { 200: FlowDraftResponse, ...errors } } },
    async (request) => app.flowAdmin.saveDraft(request.user.companyId, request.body, request.user.id),
  );

  app.post(
    '/api/company/flow/try',
    {
      config,
      onRequest,
      bodyLimit: FLOW_BODY_LIMIT,
      schema: { summary: "Start a test conversation on a draft: Try it (admins)", ...openapi, body: TryFlowRequest, response: { 201: TryFlowResponse, 400: Type.Union([FlowProblemsError, ApiError]), ...errors } },
    },
    async (request, reply) => {
      const companyId = request.user.companyId;
      const trial = await app.flowAdmin.trial(companyId, request.body.flow, request.body.start_at);
      if ('problems' in trial) return reply.code(400).send(problemsBody(trial.problems, 'it cannot run'));
      const company = app.companies.byIdOrUndefined(companyId);
      if (!company) throw Errors.notFound('Company not found');
      const visitor = { ip: request.ip, userAgent: request.headers['user-agent'] };
      const { conversation, token } = await app.chat.start(company, visitor, undefined, { flow: trial.flow, test: true });
      return reply.code(201).send({ conversation_id: conversation.id, session_token: token, site_key: company.siteKey });
    },
  );

  /*
   * The page the dashboard's "Try it" frame shows: the real widget, full-window, resuming the test
   * session the dashboard saved in this origin's storage. Its own policy: the widget's styles need
   * inline CSS, which the dashboard's policy refuses; only this origin may frame it.
   */
  const TryPageQuery = Strict({
    site: Type.String({ pattern: '^[A-Za-z0-9_-]{1,128}$' }),
    theme: Type.Optional(Type.Union([Type.Literal('light'), Type.Literal('dark')])),
    /** The test conversation (only so that each "Try it" loads afresh). */
    c: Type.Optional(Type.String({ maxLength: 64 })),
  });
  app.get('/try-it', { schema: { querystring: TryPageQuery, response: { 200: Type.String({ description: 'HTML' }), '4xx': ApiError } } }, async (request, reply) => {
    const { site, theme = 'light' } = request.query;
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('x-frame-options', 'SAMEORIGIN')
      .header(
        'content-security-policy',
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; connect-src 'self'; frame-ancestors 'self'; base-uri 'none'",
      );
    return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Try it</title></head>
<body><script async src="/widget.js" data-site="${site}" data-mode="page" data-open="true" data-theme="${theme}" data-title="Try it"></script></body></html>`;
  });

  app.delete('/api/company/flow/draft', { config, onRequest, schema: { summary: "Discard the draft (admins)", ...openapi, response: { 204: Type.Null(), ...errors } } }, async (request, reply) => {
    await app.flowAdmin.deleteDraft(request.user.companyId);
    return reply.code(204).send(null);
  });
};

export default flowAdminRoutes;
