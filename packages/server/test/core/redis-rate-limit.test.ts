import { afterEach, beforeEach, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import { RedisRateLimiter, sharedRateLimitOptions } from '../../src/core/redis-rate-limit.js';
import { describeWithRedis, redisScope } from './redis-support.js';

describeWithRedis('Rate limits shared in Redis', () => {
  let scope: ReturnType<typeof redisScope>;
  const apps: FastifyInstance[] = [];

  beforeEach(() => {
    scope = redisScope();
  });

  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
    await scope.cleanup();
  });

  it('refuses the 31st new conversation in a window from one address, whichever node counts it', async () => {
    const nodes = [new RedisRateLimiter(scope.connect(), scope.prefix), new RedisRateLimiter(scope.connect(), scope.prefix)];
    const limit = { max: 30, windowMs: 60_000 };
    for (let i = 0; i < 30; i++) {
      const result = await nodes[i % 2]!.hit('new-conversation', '203.0.113.7', limit);
      expect(result).toMatchObject({ allowed: true, count: i + 1 });
    }
    for (const limiter of nodes) {
      const refused = await limiter.hit('new-conversation', '203.0.113.7', limit);
      expect(refused.allowed).toBe(false);
      expect(refused.resetMs).toBeGreaterThan(0);
      expect(refused.resetMs).toBeLessThanOrEqual(60_000);
    }
    // Another address, and another limit for the same address, count apart.
    expect((await nodes[0]!.hit('new-conversation', '203.0.113.8', limit)).allowed).toBe(true);
    expect((await nodes[0]!.hit('ai-reply', '203.0.113.7', limit)).count).toBe(1);
  });

  it('starts counting again when the window ends', async () => {
    const limiter = new RedisRateLimiter(scope.connect(), scope.prefix);
    const limit = { max: 2, windowMs: 200 };
    expect((await limiter.hit('burst', 'k', limit)).allowed).toBe(true);
    expect((await limiter.hit('burst', 'k', limit)).allowed).toBe(true);
    expect((await limiter.hit('burst', 'k', limit)).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await limiter.hit('burst', 'k', limit)).toMatchObject({ allowed: true, count: 1 });
  });

  it("makes a route's limit hold across two servers: the 31st request gets 429 on either", async () => {
    async function server(): Promise<FastifyInstance> {
      const app = Fastify();
      apps.push(app);
      await app.register(rateLimit, { global: false, ...sharedRateLimitOptions(scope.connect(), scope.prefix) });
      app.post('/api/chatbot/conversations', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async () => ({ ok: true }));
      await app.ready();
      return app;
    }
    const servers = [await server(), await server()];
    for (let i = 0; i < 30; i++) {
      const response = await servers[i % 2]!.inject({ method: 'POST', url: '/api/chatbot/conversations' });
      expect(response.statusCode).toBe(200);
    }
    for (const app of servers) {
      const response = await app.inject({ method: 'POST', url: '/api/chatbot/conversations' });
      expect(response.statusCode).toBe(429);
    }
  });
});
