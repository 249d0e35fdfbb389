import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { ApiError } from '@parley/protocol';
import { prepareQuery } from '../db/prepared.js';
import { Errors } from '../errors.js';
import { ParleyMetrics, fileBytes } from './registry.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Prometheus metrics, when `PARLEY_METRICS=true`; undefined otherwise. */
    metrics: ParleyMetrics | undefined;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Whether an `Authorization` header carries the token, compared in constant time. */
export function bearerMatches(header: string | undefined, token: string): boolean {
  const sent = /^Bearer (.+)$/i.exec(header ?? '')?.[1] ?? '';
  return timingSafeEqual(digest(sent), digest(token));
}

/**
 * Opt-in Prometheus metrics (`PARLEY_METRICS=true`). Served at `/metrics` on the main port, behind
 * `PARLEY_METRICS_TOKEN` as a bearer token when set; or, with `PARLEY_METRICS_PORT`, only on that
 * port (bind it where only the scraper reaches). The request path pays one counter increment;
 * everything else is read when scraped.
 */
export default fp(
  async (app) => {
    const { metrics: settings, dataDir } = app.config;
    if (!settings.enabled) {
      app.decorate('metrics', undefined);
      return;
    }
    const pending = prepareQuery(app.database, {}, () =>
      app.db
        .selectFrom('webhook_deliveries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'pending'),
    );
    const metrics = new ParleyMetrics({
      sockets: () => app.presence.socketCounts(),
      // PostgreSQL keeps its own WAL, out of reach: the gauge reads 0 there.
      walBytes: () => (app.database.dialect === 'sqlite' ? fileBytes(join(dataDir, 'parley.sqlite-wal')) : 0),
      webhookQueueDepth: async () => Number((await pending.get({}))?.n ?? 0),
    });
    app.decorate('metrics', metrics);
    app.addHook('onResponse', (request, reply, done) => {
      metrics.countRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode);
      done();
    });

    if (settings.port !== undefined) {
      let server: Server | undefined;
      app.addHook('onListen', async () => {
        server = createServer((request, response) => {
          if (request.url !== '/metrics' || (settings.token && !bearerMatches(request.headers.authorization, settings.token))) {
            response.writeHead(request.url === '/metrics' ? 401 : 404).end();
            return;
          }
          metrics.scrape().then(
            ({ type, body }) => response.writeHead(200, { 'content-type': type }).end(body),
            (error: unknown) => {
              app.log.error({ err: error }, 'metrics scrape failed');
              response.writeHead(500).end();
            },
          );
        });
        await new Promise<void>((resolve, reject) => server!.once('error', reject).listen(settings.port, app.config.host, resolve));
        metrics.port = (server.address() as { port: number }).port;
        app.log.info({ port: metrics.port }, 'metrics listening');
      });
      app.addHook('onClose', async () => {
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
        metrics.close();
      });
      return;
    }

    if (!settings.token) app.log.warn('PARLEY_METRICS is on without PARLEY_METRICS_TOKEN or PARLEY_METRICS_PORT: /metrics is open to anyone who reaches the server');
    app.addHook('onClose', async () => metrics.close());
    app.get(
      '/metrics',
      { logLevel: 'warn', schema: { response: { 200: Type.String({ description: 'Prometheus text exposition' }), '4xx': ApiError } } },
      async (request, reply) => {
        if (settings.token && !bearerMatches(request.headers.authorization, settings.token)) throw Errors.unauthorized('A metrics token is required');
        const { type, body } = await metrics.scrape();
        return reply.type(type).header('cache-control', 'no-store').send(body);
      },
    );
  },
  { name: 'metrics', dependencies: ['database', 'presence'] },
);
