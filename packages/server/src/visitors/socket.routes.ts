import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { Type } from 'typebox';
import { ApiError, Strict } from '@parley/protocol';
import { Errors } from '../errors.js';
import type { Company } from '../companies/companies.js';
import { VisitorConnection } from './visitor-connection.js';
import { TokenBucket } from '../realtime/token-bucket.js';
import { noAuth, tag } from '../openapi/index.js';
import type { ConversationStore } from '../conversations/conversations.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The company a visitor socket connects to, resolved before the upgrade. */
    visitorCompany?: Company;
  }
  interface FastifyInstance {
    /**
     * Compares the conversations of this node's visitor sockets with the database now and lets
     * those behind catch up; resolves with how many did. Runs by itself on PostgreSQL.
     */
    reconcileVisitorSockets(): Promise<number>;
  }
}

/** How often, on PostgreSQL, the sockets' conversations are compared with the database (the backstop of the bus). */
const RECONCILE_INTERVAL_MS = 10_000;

/** Sockets whose conversation the database shows ahead of what they sent catch up from it. */
export async function reconcileSockets(conversations: ConversationStore, connections: Iterable<VisitorConnection>): Promise<number> {
  const shown = new Map<string, VisitorConnection[]>();
  for (const connection of connections) {
    const position = connection.position;
    if (!position) continue;
    const list = shown.get(position.conversationId) ?? [];
    list.push(connection);
    shown.set(position.conversationId, list);
  }
  let caughtUp = 0;
  for (const [id, seq] of await conversations.lastSeqs([...shown.keys()])) {
    for (const connection of shown.get(id) ?? []) {
      if ((connection.position?.lastSentSeq ?? seq) >= seq) continue;
      connection.catchUp();
      caughtUp++;
    }
  }
  return caughtUp;
}

/**
 * `/ws?site=KEY`, the visitor channel (docs/protocol.md). The company, the Origin and the per-IP
 * connection cap are checked before the upgrade; a heartbeat sweep pings every connection and
 * drops those that stopped answering.
 */
const visitorSocket: FastifyPluginAsyncTypebox = async (app) => {
  const limits = app.config.limits;
  const connections = new Set<VisitorConnection>();
  /** Per address: open connections, the frame budget they share, and the budget for new connections. */
  const perIp = new Map<string, { open: number; frames: TokenBucket; connects: TokenBucket }>();
  const addressOf = (ip: string) => {
    let entry = perIp.get(ip);
    if (!entry) {
      const connectsPerSecond = limits.wsConnectsPerMinutePerIp / 60;
      entry = {
        open: 0,
        frames: new TokenBucket(limits.wsFramesPerSecondPerIp),
        connects: new TokenBucket(connectsPerSecond, Math.max(1, Math.ceil(limits.wsConnectsPerMinutePerIp / 2))),
      };
      perIp.set(ip, entry);
    }
    return entry;
  };
  // With Redis, new connections per address are counted across every node, failing open while Redis
  // is away: half the minute's allowance per half minute, the bucket's burst at the same sustained
  // rate. Open sockets and frames stay per node: a socket lives on one.
  const shared = app.redis;
  const perHalfMinute = { max: Math.max(1, Math.ceil(limits.wsConnectsPerMinutePerIp / 2)), windowMs: 30_000 };
  const sharedConnect =
    shared &&
    ((ip: string) =>
      shared.limiter.hit('ws-connect', ip, perHalfMinute).then(
        (result) => result.allowed,
        () => true,
      ));
  // Forget idle addresses now and then (an entry with open sockets is kept).
  const forget = setInterval(() => {
    for (const [ip, entry] of perIp) if (entry.open === 0) perIp.delete(ip);
  }, 60_000);
  forget.unref();
  app.addHook('onClose', async () => clearInterval(forget));

  const sweep = setInterval(() => {
    for (const connection of connections) connection.heartbeat();
  }, limits.wsPingIntervalMs);
  sweep.unref();
  app.addHook('onClose', async () => clearInterval(sweep));

  app.decorate('reconcileVisitorSockets', () => reconcileSockets(app.conversations, connections));
  // A bus that was away (Redis reconnected) may have missed events: every socket reads what it missed.
  const stopRecovery = app.bus.onRecovered?.(() => {
    for (const connection of connections) connection.catchUp();
  });
  if (stopRecovery) app.addHook('onClose', async () => stopRecovery());
  // On PostgreSQL other nodes write too, and one that committed and died before publishing leaves
  // sockets here behind: now and then, the conversations shown here are compared with the database.
  if (app.database.dialect === 'postgres') {
    const reconcile = setInterval(() => {
      app.reconcileVisitorSockets().catch((error: unknown) => app.log.warn({ err: error }, 'visitor socket reconciliation failed'));
    }, RECONCILE_INTERVAL_MS);
    reconcile.unref();
    app.addHook('onClose', async () => clearInterval(reconcile));
  }

  app.get(
    '/ws',
    {
      websocket: true,
      schema: {
        summary: "The visitor's WebSocket (upgrade); frames in docs/protocol.md",
        description: 'Identified by the public site key (`?site=`); the session token travels in the `hello` frame.',
        tags: [tag('websocket')],
        security: noAuth,
        querystring: Strict({ site: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) }),
        response: { '4xx': ApiError },
      },
      preValidation: async (request) => {
        const company = app.companies.resolveSite((request.query as { site?: string }).site);
        if (!app.companies.allowsOrigin(company, request.headers.origin)) throw Errors.forbidden('Origin not allowed');
        const address = addressOf(request.ip);
        if (address.open >= limits.wsConnectionsPerIp) throw Errors.rateLimited('Too many connections from this address');
        if (!(sharedConnect ? await sharedConnect(request.ip) : address.connects.take())) throw Errors.rateLimited('Too many new connections from this address');
        request.visitorCompany = company;
      },
    },
    (socket, request) => {
      const address = addressOf(request.ip);
      address.open++;
      const connection = new VisitorConnection(
        socket,
        request.visitorCompany!,
        { ip: request.ip, userAgent: request.headers['user-agent'] },
        {
          chat: app.chat,
          conversations: app.conversations,
          bus: app.bus,
          log: request.log,
          limits,
          ipBucket: address.frames,
          presence: app.presence,
          identity: app.identity,
          attributes: app.attributes,
        },
        (closed) => {
          connections.delete(closed);
          address.open--;
        },
      );
      connections.add(connection);
    },
  );
};

// Not encapsulated: `reconcileVisitorSockets` is the app's.
export default fp(visitorSocket, { name: 'visitor-socket' });
