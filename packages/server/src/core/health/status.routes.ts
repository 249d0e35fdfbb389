import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ApiError, HealthResponse } from '@parley/protocol';
import { prepareQuery } from '../../db/prepared.js';
import { Errors } from '../../errors.js';
import { serverVersion } from '../version.js';
import { noAuth } from '../api-security.js';
import { tag } from '../api-tags.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('system')], security: noAuth };

/** `GET /health`: ok, with the running version, once the database answers a query. */
const health: FastifyPluginAsyncTypebox = async (app) => {
  const probe = prepareQuery(app.database, {}, () => app.db.selectNoFrom((eb) => eb.lit(1).as('ok')));
  app.get('/health', { schema: { summary: 'Check that the server and its database answer', ...openapi, response: { 200: HealthResponse, 503: ApiError } } }, async () => {
    try {
      await probe.get({});
    } catch {
      throw Errors.unavailable('Database unavailable');
    }
    return { status: 'ok' as const, version: serverVersion() };
  });
};

export default health;
