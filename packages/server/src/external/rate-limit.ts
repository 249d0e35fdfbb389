import fp from 'fastify-plugin';
import rateLimit from '@fastify/rate-limit';
import { Errors } from '../errors.js';
import { sharedRedis } from '../core/redis.js';

/**
 * Per-IP request limits. Off by default; a route opts in with `config.rateLimit`, so each area
 * sets the rate that suits it. With `REDIS_URL` the counts live in Redis, so a limit holds across
 * every node (failing open while Redis is away); without it, in memory.
 */
export default fp(
  async (app) => {
    const redis = await sharedRedis(app);
    const shared = redis ? (await import('../core/redis-rate-limit.js')).sharedRateLimitOptions(redis.connection, redis.prefix) : {};
    await app.register(rateLimit, {
      global: false,
      ...shared,
      errorResponseBuilder: (_request, context) => {
        const error = Errors.rateLimited(`Too many requests, please retry in ${Math.ceil(context.ttl / 1000)} s`);
        return Object.assign(error, { statusCode: context.statusCode });
      },
    });
  },
  { name: 'rate-limit' },
);
