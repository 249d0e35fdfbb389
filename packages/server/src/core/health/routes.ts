import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { LivezResponse, ReadyzResponse } from '@parley/protocol';
import { Readiness } from './readiness.js';

/**
 * `GET /livez` (the process answers) and `GET /readyz` (the node should get traffic), for
 * container orchestrators and load balancers. Neither is rate limited nor logged at info level.
 */
export const readinessRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/livez', { logLevel: 'warn', schema: { response: { 200: LivezResponse } } }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', { logLevel: 'warn', schema: { response: { 200: ReadyzResponse, 503: ReadyzResponse } } }, async (_request, reply) => {
    const checks = await app.readiness.check();
    const ready = Readiness.ready(checks);
    return reply.code(ready ? 200 : 503).header('cache-control', 'no-store').send({ status: ready ? 'ready' : 'not_ready', checks });
  });
};
