import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { RedisRateLimiter } from './redis-rate-limit.js';

/**
 * The process's Redis when `REDIS_URL` is set (docs/scaling.md): one command connection shared by
 * the route rate limits, the app's own shared limits, presence and the bus's publishes (the bus
 * opens its one subscriber from it).
 */
export interface SharedRedis {
  /** The command connection. */
  connection: Redis;
  /** Starts every key and channel (`PARLEY_REDIS_PREFIX`). */
  prefix: string;
  /** This process's name in the bus's envelopes and the presence entries. */
  nodeId: string;
  /** Fixed-window counters shared by every node, for the limits the app counts itself. */
  limiter: RedisRateLimiter;
  /**
   * Runs `close` when the app closes, before the connection is: the last added runs first (the
   * presence leaves, then the bus unsubscribes, then the connection quits).
   */
  onClose(close: () => Promise<void>): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The shared Redis; only present when `REDIS_URL` is set (read it with `sharedRedis(app)`). */
    redis?: SharedRedis;
  }
}

/**
 * The app's Redis, opened by the first plugin that asks (the rate limits, registered before the
 * bus), or undefined when `REDIS_URL` is unset: then `ioredis` is not even loaded, and the single
 * process runs exactly as without it.
 */
export async function sharedRedis(app: FastifyInstance): Promise<SharedRedis | undefined> {
  const url = app.config.redisUrl;
  if (!url) return undefined;
  if (app.redis) return app.redis;
  const [{ checkRedisPrefix, connectRedis, newNodeId }, { RedisRateLimiter }] = await Promise.all([import('./redis-connection.js'), import('./redis-rate-limit.js')]);
  // Another plugin may have opened it while this one was loading the modules.
  if (app.redis) return app.redis;
  const prefix = checkRedisPrefix(app.config.redisPrefix);
  const nodeId = newNodeId();
  const connection = connectRedis(url, { connectionName: `${prefix}${nodeId}` });
  // Connection errors show as failed commands (and `/readyz` through the bus); log them once in a while.
  let lastLogged = 0;
  connection.on('error', (error: unknown) => {
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    app.log.warn({ err: error }, 'Redis connection error');
  });
  const closers: Array<() => Promise<void>> = [];
  const redis: SharedRedis = {
    connection,
    prefix,
    nodeId,
    limiter: new RedisRateLimiter(connection, prefix),
    onClose: (close) => void closers.push(close),
  };
  app.decorate('redis', redis);
  app.addHook('onClose', async () => {
    for (const close of closers.reverse()) {
      await close().catch((error: unknown) => app.log.warn({ err: error }, 'closing a Redis user failed'));
    }
    // Not `events.once`: it would reject on an 'error' (a publish racing the quit), and the connection ends all the same.
    const ended = connection.status === 'end' ? Promise.resolve() : new Promise<void>((resolve) => connection.once('end', resolve));
    await connection.quit().catch(() => connection.disconnect());
    await ended;
  });
  return redis;
}
