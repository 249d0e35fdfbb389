import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import { Limits, type ApiError } from '@parley/protocol';
import { app } from './app.js';
import { loadConfig, type ParleyConfig, type ParleyOptions } from './config.js';
import { requestSerializer } from './lib/log.js';

/**
 * Builds a ready Parley server (not listening yet). Options left out come from the environment
 * and defaults; see `loadConfig`.
 *
 * @example const server = await buildServer({ dataDir: './data' }); await server.listen({ port: 3000 });
 */
export async function buildServer(options: ParleyOptions | ParleyConfig = {}): Promise<FastifyInstance> {
  const config = loadConfig(options);
  const fastify = Fastify({
    // Agent sockets carry their token in the query string: the request serializer redacts it.
    logger: { level: config.logLevel, serializers: { req: requestSerializer } },
    trustProxy: config.trustProxy,
    bodyLimit: Limits.maxBodyBytes,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Starting migrates the database, which takes as long as it takes on a big one (or while
    // another node migrates it): no plugin timeout gives up on a start that is making progress.
    pluginTimeout: 0,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // A URL that cannot be decoded (`/api/%zz`) never reaches a route: answer it in the documented
    // error shape too, not with Fastify's own code.
    frameworkErrors: (error, _request, reply) => {
      const body: ApiError = { statusCode: 400, code: 'bad_request', error: 'Bad Request', message: error.message };
      (reply as FastifyReply).code(400).send(body);
    },
  });
  fastify.setValidatorCompiler(TypeBoxValidatorCompiler);
  await fastify.register(app, { config });
  await fastify.ready();
  return fastify;
}


/**
 * Builds the server, listens, and closes it gracefully on SIGINT or SIGTERM: sockets get 1001,
 * queued writes commit, the database checkpoints and closes.
 */
export async function startServer(options: ParleyOptions = {}): Promise<FastifyInstance> {
  const fastify = await buildServer(options);
  await fastify.listen({ host: fastify.config.host, port: fastify.config.port });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    fastify.log.info({ signal }, 'shutting down');
    fastify.readiness.drain();
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    fastify.close().then(
      () => process.exit(0),
      (error: unknown) => {
        fastify.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  return fastify;
}
