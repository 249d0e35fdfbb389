import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Strict } from '@parley/protocol';
import type { ParleyConfig } from '../../config.js';
import { Errors } from '../../errors.js';
import type { Company } from '../../plugins/app/companies.js';
import { VisitorConnection } from '../../realtime/visitor-connection.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The company a visitor socket connects to, resolved before the upgrade. */
    visitorCompany?: Company;
  }
}

/**
 * `/ws?site=KEY`, the visitor channel (docs/protocol.md). The company, the Origin and the per-IP
 * connection cap are checked before the upgrade; a heartbeat sweep pings every connection and
 * drops those that stopped answering.
 */
const visitorSocket: FastifyPluginAsyncTypebox<{ config: ParleyConfig }> = async (app, opts) => {
  const limits = opts.config.limits;
  const connections = new Set<VisitorConnection>();
  const perIp = new Map<string, number>();

  const sweep = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, limits.wsPingIntervalMs);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  app.get(
    '/ws',
    {
      websocket: true,
      schema: { querystring: Strict({ site: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) }) },
      preValidation: async (request) => {
        const company = app.companies.resolveSite((request.query as { site?: string }).site);
        if (!app.companies.allowsOrigin(company, request.headers.origin)) throw Errors.forbidden('Origin not allowed');
        if ((perIp.get(request.ip) ?? 0) >= limits.wsConnectionsPerIp) throw Errors.rateLimited('Too many connections from this address');
        request.visitorCompany = company;
      },
    },
    (socket, request) => {
      const ip = request.ip;
      perIp.set(ip, (perIp.get(ip) ?? 0) + 1);
      const connection = new VisitorConnection(
        socket,
        request.visitorCompany!,
        { ip, userAgent: request.headers['user-agent'] },
        { chat: app.chat, conversations: app.conversations, bus: app.bus, log: request.log, limits },
        (closed) => {
          connections.delete(closed);
          const left = (perIp.get(ip) ?? 1) - 1;
          if (left <= 0) perIp.delete(ip);
          else perIp.set(ip, left);
        },
      );
      connections.add(connection);
    },
  );
};

export default visitorSocket;
