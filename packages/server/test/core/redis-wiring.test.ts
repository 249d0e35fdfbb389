import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/config.js';
import { MemoryBus } from '../../src/core/bus.js';
import { RedisBus } from '../../src/core/redis-bus.js';
import { SharedPresence } from '../../src/core/shared-presence.js';
import { PresenceTracker } from '../../src/core/presence.js';
import { buildTestServer, onCleanup, startTestServer, TestSocket } from '../helper.js';
import { OWNER, SECRET, login, openAgent, openVisitor } from '../agent-helper.js';
import { createTestDatabase, requirePostgres } from '../db/postgres-helper.js';
import { describeWithRedis, redisScope, redisUrl } from './redis-support.js';

/** A key prefix of its own for the test, its keys deleted after the apps are closed. */
function scope() {
  const redis = redisScope();
  // Registered before the apps, so it runs after they closed (cleanups run last first).
  onCleanup(redis.cleanup);
  return redis;
}

/** Polls `/readyz` until it answers `status`, returning the body. */
async function readyzUntil(app: FastifyInstance, status: number, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    if (res.statusCode === status) return res.json<{ status: string; checks: Record<string, boolean> }>();
    if (Date.now() > deadline) throw new Error(`/readyz stayed ${res.statusCode}: ${res.body}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('without REDIS_URL', () => {
  it('reads REDIS_URL and PARLEY_REDIS_PREFIX, and says what is wrong with them', () => {
    expect(loadConfig({}, {})).toMatchObject({ redisPrefix: 'parley:' });
    expect(loadConfig({}, {}).redisUrl).toBeUndefined();
    expect(loadConfig({}, { REDIS_URL: 'redis://cache:6379', PARLEY_REDIS_PREFIX: 'acme:' })).toMatchObject({ redisUrl: 'redis://cache:6379', redisPrefix: 'acme:' });
    expect(() => loadConfig({}, { REDIS_URL: 'cache:6379' })).toThrow('REDIS_URL must be a redis:// or rediss:// address, got "cache:6379"');
    expect(() => loadConfig({}, { PARLEY_REDIS_PREFIX: 'acme' })).toThrow('PARLEY_REDIS_PREFIX must be non-empty, without spaces, ending with :, got "acme"');
  });

  it('keeps the single process in memory, and /readyz says nothing of Redis', async () => {
    const app = await buildTestServer();
    expect(app.bus).toBeInstanceOf(MemoryBus);
    expect(app.presence.constructor).toBe(PresenceTracker);
    expect(app.redis).toBeUndefined();
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json().checks).not.toHaveProperty('redis');
  });
});

describeWithRedis('with REDIS_URL, one node', () => {
  it('uses the Redis bus and presence, and closes its connections with the app', async () => {
    const { prefix } = scope();
    const app = await buildTestServer({ redisUrl, redisPrefix: prefix });
    expect(app.bus).toBeInstanceOf(RedisBus);
    expect(app.presence).toBeInstanceOf(SharedPresence);
    expect(app.redis?.prefix).toBe(prefix);
    const connection = app.redis!.connection;
    await app.close();
    expect(connection.status).toBe('end');
  });

  it('is not ready while the bus has lost its Redis subscription, and ready again once it is back', async () => {
    const redis = scope();
    const app = await buildTestServer({ redisUrl, redisPrefix: redis.prefix });
    const bus = app.bus as RedisBus;
    expect((await readyzUntil(app, 200)).checks).toMatchObject({ database: true, migrations: true, redis: true });

    // Kill exactly this app's subscriber connection (named after the prefix and the node).
    const admin = redis.connect();
    const clients = (await admin.client('LIST')) as string;
    const line = clients.split('\n').find((l) => l.includes(`name=${redis.prefix}bus:${bus.nodeId}`));
    expect(line).toBeDefined();
    const id = /\bid=(\d+)/.exec(line!)![1]!;
    const down = once(bus, 'down');
    await admin.client('KILL', 'ID', id);
    await down;
    const notReady = await app.inject({ method: 'GET', url: '/readyz' });
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toMatchObject({ status: 'not_ready', checks: { database: true, redis: false } });

    // The bus reconnects and subscribes again by itself.
    expect((await readyzUntil(app, 200)).checks.redis).toBe(true);
    expect(bus.healthy).toBe(true);
  });
});

const hasPostgres = await requirePostgres();

/**
 * Two app instances in one process on one PostgreSQL database and one Redis prefix, as two
 * nodes behind a load balancer.
 */
async function twoNodes(limits: { httpRequestsPerMinute?: number; wsConnectsPerMinutePerIp?: number } = {}) {
  const redis = scope();
  const database = await createTestDatabase('redis_nodes');
  onCleanup(() => database.drop());
  const options = { redisUrl, redisPrefix: redis.prefix, databaseUrl: database.url, adminEmail: OWNER.email, adminPassword: OWNER.password, secret: SECRET, limits };
  // One after the other: the first migrates and seeds, the second finds it done.
  const a = await startTestServer(options);
  const b = await startTestServer(options);
  const agentWs = (ws: string) => ws.replace(/\/ws$/, '/ws/agent');
  return { redis, a: { ...a, agentWs: agentWs(a.ws) }, b: { ...b, agentWs: agentWs(b.ws) } };
}

describeWithRedis('with REDIS_URL, two nodes on one database', () => {
  it.skipIf(!hasPostgres)("shows an agent on node B a visitor's message sent on node A, live", async () => {
    const { a, b } = await twoNodes();
    const owner = await login(b.http, OWNER.email, OWNER.password);
    // `ready` on B means its company topic is subscribed on Redis.
    const agent = await openAgent(b.agentWs, owner.token);
    const visitor = await openVisitor(a.ws);
    visitor.socket.send({ type: 'message', id: 'm1', text: 'Hello from node A' });
    const frame = await agent.socket.next(
      (f) => f.type === 'message' && (f as { message: { text?: string; role: string } }).message.role === 'user',
    );
    expect(frame).toMatchObject({ type: 'message', conversation_id: visitor.welcome.conversation_id, message: { role: 'user', seq: expect.any(Number) } });
    expect(JSON.stringify(frame)).toContain('Hello from node A');
  });

  it.skipIf(!hasPostgres)('shares presence: agents and visitors on one node are online on the other, and offline when they leave', async () => {
    const { a, b } = await twoNodes();
    const owner = await login(b.http, OWNER.email, OWNER.password);
    const companyId = owner.user.company_id;

    // A visitor on A with nobody online anywhere.
    const visitor = await openVisitor(a.ws);
    expect(await visitor.socket.nextOf('availability')).toEqual({ type: 'availability', online: false });
    const conversationId = visitor.welcome.conversation_id;

    // The agent connects to B: the visitor on A hears an agent is available.
    const agent = await openAgent(b.agentWs, owner.token);
    expect(agent.ready.online_agents.map((x) => x.id)).toEqual([owner.user.id]);
    expect(await visitor.socket.nextOf('availability')).toEqual({ type: 'availability', online: true });
    expect(a.app.presence.anyAgentOnline(companyId)).toBe(true);
    // B knows the visitor on A is online (its inbox shows it so).
    expect(b.app.presence.isVisitorOnline(conversationId)).toBe(true);
    // A second visitor on A sees the agent from the start.
    const late = await openVisitor(a.ws);
    expect(await late.socket.nextOf('availability')).toEqual({ type: 'availability', online: true });
    expect(await agent.socket.next((f) => f.type === 'presence' && f.conversation_id === late.welcome.conversation_id)).toMatchObject({ online: true });

    // The visitor leaves A: the agent on B sees it go offline.
    visitor.socket.close();
    expect(await agent.socket.next((f) => f.type === 'presence' && f.conversation_id === conversationId)).toMatchObject({ online: false });
    expect(b.app.presence.isVisitorOnline(conversationId)).toBe(false);

    // The agent leaves B: the visitors on A are told nobody is available.
    agent.socket.close();
    expect(await late.socket.nextOf('availability')).toEqual({ type: 'availability', online: false });
    expect(a.app.presence.anyAgentOnline(companyId)).toBe(false);
  });

  it.skipIf(!hasPostgres)('counts the route limits across nodes: the 31st new conversation in a minute from one address gets 429 on either', async () => {
    const { a, b } = await twoNodes({ httpRequestsPerMinute: 30 });
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const node = i % 2 === 0 ? a.app : b.app;
      statuses.push((await node.inject({ method: 'GET', url: '/api/chatbot' })).statusCode);
    }
    expect(statuses.slice(0, 30)).toEqual(Array(30).fill(200));
    expect(statuses[30]).toBe(429);
    // And the other node refuses it too.
    expect((await a.app.inject({ method: 'GET', url: '/api/chatbot' })).statusCode).toBe(429);
  });

  it.skipIf(!hasPostgres)("counts new visitor sockets per address across nodes: the 5th in half a minute is refused on either", async () => {
    // 8 a minute: 4 per half minute, as the in-process bucket's burst of half the minute's allowance.
    const { a, b } = await twoNodes({ wsConnectsPerMinutePerIp: 8 });
    for (let i = 0; i < 4; i++) await TestSocket.open(i % 2 === 0 ? a.ws : b.ws);
    await expect(TestSocket.open(b.ws)).rejects.toThrow('HTTP 429');
    await expect(TestSocket.open(a.ws)).rejects.toThrow('HTTP 429');
  });

  it.skipIf(!hasPostgres)("counts AI turns across nodes: a conversation's 9th in a minute and an address's 31st are refused on either", async () => {
    const { a, b } = await twoNodes();
    const turns: boolean[] = [];
    for (let i = 0; i < 9; i++) turns.push(await (i % 2 ? b : a).app.ai.allowTurn('conversation-1', null));
    expect(turns).toEqual([...Array(8).fill(true), false]);
    // One address, many conversations: 30 a minute in all.
    const byAddress: boolean[] = [];
    for (let i = 0; i < 31; i++) byAddress.push(await (i % 2 ? b : a).app.ai.allowTurn(`conversation-${i + 10}`, '203.0.113.7'));
    expect(byAddress).toEqual([...Array(30).fill(true), false]);
    expect(await b.app.ai.allowTurn('conversation-99', '203.0.113.7')).toBe(false);
    expect(await a.app.ai.allowTurn('conversation-99', '203.0.113.8')).toBe(true);
  });
});
