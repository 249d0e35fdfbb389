import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, IdentitySettingsView, UpdateIdentitySettingsRequest } from '@parley/protocol';
import { perAccount } from '../accounts/auth.js';
import { agentAuth, tag } from '../openapi/index.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('identity')], security: agentAuth };

const errors = { '4xx': ApiError, '5xx': ApiError } as const;

/**
 * Identity verification settings (admins only): `GET /api/identity` shows the company's identity
 * secret (made on first use) for the site's server to sign with; `PATCH /api/identity` requires
 * verification or rotates the secret. The visitor side is `identify` (WebSocket) and
 * `POST /api/identify` (HTTP).
 */
const identity: FastifyPluginAsyncTypebox = async (app) => {
  const config = { rateLimit: perAccount(app.config.limits.agentRequestsPerMinute) };

  app.get(
    '/api/identity',
    { config, onRequest: app.requireRole('admin'), schema: { summary: 'Get the identity verification settings (admins)', ...openapi, response: { 200: IdentitySettingsView, ...errors } } },
    async (request) => app.identity.view(request.user.companyId),
  );

  app.patch(
    '/api/identity',
    { config, onRequest: app.requireRole('admin'), schema: { summary: 'Change identity verification or rotate its secret (admins)', ...openapi, body: UpdateIdentitySettingsRequest, response: { 200: IdentitySettingsView, ...errors } } },
    async (request) => app.identity.update(request.user.companyId, { enforce: request.body.enforce, rotateSecret: request.body.rotate_secret }),
  );
};

export default identity;
