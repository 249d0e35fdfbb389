import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * Opens the process's command connection to Redis (publishes, presence, rate limits all share it;
 * the bus opens its own subscriber from it with `duplicate()`).
 *
 * A command waits at most one reconnect attempt while Redis is away, instead of ioredis's default
 * twenty: live state is best effort beside the database, and a request should fail (or a rate
 * limit fail open) quickly rather than hang until Redis is back.
 *
 * @example connectRedis('redis://127.0.0.1:6379', { connectionName: 'parley' })
 */
export function connectRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: 1,
    // The commands of one event-loop turn (a batch's publishes, presence, limits) go out in one
    // write: a chat turn's publishes cost one syscall, not one each. Order is kept.
    enableAutoPipelining: true,
    // Reconnect for ever, backing off to two seconds: Redis restarts must heal by themselves.
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000),
    ...options,
  });
}

/** A random name for this process, so its own messages and presence entries can be told apart. */
export function newNodeId(): string {
  return randomBytes(8).toString('hex');
}

/**
 * Checks a key prefix: every key and channel of one deployment (or one test) starts with it, so
 * several can share a Redis and each can clean up its own. Non-empty, no spaces, ends with `:`.
 */
export function checkRedisPrefix(prefix: string): string {
  if (!/^[^\s]+:$/.test(prefix)) throw new Error(`Redis key prefix must be non-empty, without spaces and end with ':' (got '${prefix}')`);
  return prefix;
}
