import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, HealthResponse } from '@parley/protocol';
import { Errors } from '../../errors.js';
import { VERSION } from '../../core/version.js';

/** `GET /health`: ok, with the running version, once the database answers a query. */
const health: FastifyPluginAsyncTypebox = async (app) => {
  const probe = app.sqlite.prepare('SELECT 1 AS ok');
  app.get('/health', { schema: { response: { 200: HealthResponse, 503: ApiError } } }, async () => {
    try {
      probe.get();
    } catch {
      throw Errors.unavailable('Database unavailable');
    }
    return { status: 'ok' as const, version: VERSION };
  });
};

export default health;
