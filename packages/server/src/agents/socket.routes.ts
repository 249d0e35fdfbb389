import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { ApiError, Strict, type User } from '@parley/protocol';
import { Errors } from '../errors.js';
import type { Company } from '../companies/companies.js';
import type { AuthUser } from '../accounts/users.js';
import { AgentConnection } from './agent-connection.js';
import { AgentHub } from './agent-hub.js';
import { noAuth, tag } from '../openapi/index.js';

/** Open agent sockets per account (dashboard tabs). */
const MAX_SOCKETS_PER_USER = 20;

declare module 'fastify' {
  interface FastifyRequest {
    /** The agent a socket belongs to, authenticated before the upgrade. */
    agentSocket?: { user: AuthUser; view: User; expiresAt: number };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Compares the conversations this node's agent dashboards follow with the database now and
     * sends what they missed; resolves with how many conversations were behind. Runs by itself on PostgreSQL.
     */
    reconcileAgentSockets(): Promise<number>;
  }
}

/** How often, on PostgreSQL, the conversations the dashboards follow are compared with the database. */
const RECONCILE_INTERVAL_MS = 10_000;

/**
 * `/ws/agent?token=JWT`, the agents' real-time channel (docs/agents.md). The token, the account
 * and the Origin are checked before the upgrade (401 / 403 over plain HTTP); the token never
 * reaches a log line (see lib/log.ts). A heartbeat sweep drops connections that stop answering.
 */
const agentSocket: FastifyPluginAsyncTypebox = async (app) => {
  const limits = app.config.limits;
  const hub = new AgentHub(app.bus, app.inbox, app.log);
  const connections = new Set<AgentConnection>();
  const perUser = new Map<string, number>();

  const sweep = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, limits.wsPingIntervalMs);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  // What the dashboards missed (a bus that was away, or on PostgreSQL a node that committed and
  // died before publishing) is read from the database: at once when the bus is back, and now and then.
  app.decorate('reconcileAgentSockets', () => hub.reconcile((ids) => app.conversations.lastSeqs(ids)));
  const stopRecovery = app.bus.onRecovered?.(() => {
    app.reconcileAgentSockets().catch((error: unknown) => app.log.warn({ err: error }, 'agent socket catch-up failed'));
  });
  if (stopRecovery) app.addHook('onClose', async () => stopRecovery());
  if (app.database.dialect === 'postgres') {
    const reconcile = setInterval(() => {
      app.reconcileAgentSockets().catch((error: unknown) => app.log.warn({ err: error }, 'agent socket reconciliation failed'));
    }, RECONCILE_INTERVAL_MS);
    reconcile.unref();
    app.addHook('onClose', async () => clearInterval(reconcile));
  }

  /**
   * Browsers send Origin: the dashboard's own origin (this server), the company's allowed origins
   * and `PARLEY_ADMIN_ORIGINS` may connect. Clients without Origin are not browsers.
   */
  const originAllowed = (request: FastifyRequest, company: Company | undefined): boolean => {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return false;
    }
    return host === request.host || app.config.adminOrigins.includes(origin) || !!company?.allowedOrigins.includes(origin);
  };

  app.get(
    '/ws/agent',
    {
      websocket: true,
      schema: {
        summary: "The agents' WebSocket (upgrade); frames in docs/protocol.md",
        description: 'Browsers cannot set headers on a WebSocket: the agent JWT goes in `?token=`.',
        tags: [tag('websocket')],
        security: noAuth,
        querystring: Strict({ token: Type.String({ minLength: 1, maxLength: 4096 }) }),
        response: { '4xx': ApiError },
      },
      preValidation: async (request) => {
        const token = (request.query as { token?: unknown }).token;
        if (typeof token !== 'string' || token === '') throw Errors.unauthorized('Pass the token as ?token=');
        const user = await app.auth.verify(token);
        if (!originAllowed(request, app.companies.byIdOrUndefined(user.companyId))) throw Errors.forbidden('Origin not allowed');
        if ((perUser.get(user.id) ?? 0) >= MAX_SOCKETS_PER_USER) throw Errors.rateLimited('Too many open connections for this account');
        request.agentSocket = {
          user,
          view: await app.users.get(user.companyId, user.id),
          expiresAt: Date.parse(app.auth.expiresAt(token)),
        };
      },
    },
    (socket, request) => {
      const { user, view, expiresAt } = request.agentSocket!;
      perUser.set(user.id, (perUser.get(user.id) ?? 0) + 1);
      const connection = new AgentConnection(
        socket,
        user,
        view,
        expiresAt,
        { chat: app.chat, conversations: app.conversations, handoff: app.handoff, inbox: app.inbox, presence: app.presence, hub, log: request.log, limits },
        (closed) => {
          connections.delete(closed);
          const left = (perUser.get(user.id) ?? 1) - 1;
          if (left <= 0) perUser.delete(user.id);
          else perUser.set(user.id, left);
        },
      );
      connections.add(connection);
    },
  );
};

// Not encapsulated: `reconcileAgentSockets` is the app's.
export default fp(agentSocket, { name: 'agent-socket' });
