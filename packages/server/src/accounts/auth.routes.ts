import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, LoginRequest, LoginResponse, VerifyResponse } from '@parley/protocol';
import { Errors } from '../errors.js';
import { perAccount } from './auth.js';
import { normalizeEmail } from './users.js';
import { agentAuth, noAuth, tag } from '../openapi/index.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('auth')], security: agentAuth };

/**
 * Sign-in for the dashboard: `POST /api/auth/login` trades an email and password for a token;
 * `GET /api/auth/verify` says whether a token is still good. Login is rate-limited per IP and per
 * email, and answers the same 401 for an unknown email, a wrong password or a disabled account.
 */
const auth: FastifyPluginAsyncTypebox = async (app) => {
  const { loginPerMinutePerIp, loginPerMinutePerEmail } = app.config.limits;
  const perEmail = app.createRateLimit({
    max: loginPerMinutePerEmail,
    timeWindow: 60_000,
    keyGenerator: (request) => `login:${normalizeEmail((request.body as { email: string }).email)}`,
  });

  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: loginPerMinutePerIp, timeWindow: '1 minute' } },
      schema: { summary: 'Sign in with email and password; returns a JWT', tags: [tag('auth')], security: noAuth, body: LoginRequest, response: { 200: LoginResponse, '4xx': ApiError, '5xx': ApiError } },
      preHandler: async (request, reply) => {
        const limit = await perEmail(request);
        if (!limit.isAllowed && limit.isExceeded) {
          reply.header('retry-after', String(limit.ttlInSeconds));
          throw Errors.rateLimited(`Too many sign-in attempts for this account, please retry in ${limit.ttlInSeconds} s`);
        }
      },
    },
    async (request) => {
      const user = await app.users.checkPassword(request.body.email, request.body.password);
      if (!user) throw Errors.unauthorized('Wrong email or password');
      const { token, expiresAt } = app.auth.issue(user);
      return { token, user: await app.users.get(user.companyId, user.id), expires_at: expiresAt };
    },
  );

  app.get(
    '/api/auth/verify',
    {
      config: { rateLimit: perAccount(app.config.limits.agentRequestsPerMinute) },
      onRequest: app.authenticate,
      schema: { summary: 'Check a token and get the signed-in account', ...openapi, response: { 200: VerifyResponse, '4xx': ApiError, '5xx': ApiError } },
    },
    async (request) => ({
      user: await app.users.get(request.user.companyId, request.user.id),
      expires_at: app.auth.expiresAt(app.auth.bearer(request)!),
    }),
  );
};

export default auth;
