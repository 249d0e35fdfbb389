import type { Redis } from 'ioredis';
import type { RateLimitPluginOptions } from '@fastify/rate-limit';
import { checkRedisPrefix } from './redis-connection.js';

/**
 * The options that make `@fastify/rate-limit` count in Redis, so a limit holds across every node
 * (the 31st request in a minute from one address is refused whichever node gets it). Spread
 * them into the plugin's registration; each route keeps its own `config.rateLimit`.
 *
 * `failOpen` (default true) lets requests through while Redis cannot be reached, rather than
 * answering every limited route with a 500: the chat keeps working and `/readyz` reports the
 * outage. Set it to false where a limit guards against abuse more than it shapes load.
 *
 * @example await app.register(rateLimit, { global: false, ...sharedRateLimitOptions(redis, 'parley:') })
 */
export function sharedRateLimitOptions(
  redis: Redis,
  prefix = 'parley:',
  failOpen = true,
): Required<Pick<RateLimitPluginOptions, 'redis' | 'nameSpace' | 'skipOnError'>> {
  return { redis, nameSpace: `${checkRedisPrefix(prefix)}rate-limit:`, skipOnError: failOpen };
}

/** A limit: at most `max` hits per `windowMs`. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

/** The answer to one hit. */
export interface RateLimitResult {
  /** The hit is within the limit. */
  allowed: boolean;
  /** Hits counted in the current window, this one included. */
  count: number;
  /** Until the window ends and counting starts again, in ms (for `Retry-After`). */
  resetMs: number;
}

/** KEYS[1]: the counter. ARGV: window in ms. Counts the hit, starts the window on the first. */
const hitScript = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if count == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

interface HitCommand {
  parleyRateLimitHit(key: string, windowMs: string): Promise<[number, number]>;
}

/**
 * Fixed-window counters in Redis for the limits the app counts itself rather than per route
 * (new conversations per address, AI replies per company): one script increments the counter
 * and starts its window atomically, so every node shares the count. The same semantics as
 * `@fastify/rate-limit`, so a configured "30 per minute" means the same thing in both places.
 * Per-socket limits (frames per second) stay in process with `TokenBucket`: they guard one
 * connection, which lives on one node.
 */
export class RedisRateLimiter {
  private readonly redis: Redis & HitCommand;
  private readonly prefix: string;

  constructor(redis: Redis, prefix = 'parley:') {
    this.prefix = `${checkRedisPrefix(prefix)}limit:`;
    if (!(redis as Partial<HitCommand>).parleyRateLimitHit) redis.defineCommand('parleyRateLimitHit', { numberOfKeys: 1, lua: hitScript });
    this.redis = redis as Redis & HitCommand;
  }

  /**
   * Counts one hit of `key` (an address, a company id) against the limit named `name`.
   *
   * @example const { allowed } = await limiter.hit('new-conversation', ip, { max: 30, windowMs: 60_000 })
   */
  async hit(name: string, key: string, limit: RateLimit): Promise<RateLimitResult> {
    const [count, resetMs] = await this.redis.parleyRateLimitHit(`${this.prefix}${name}:${key}`, String(limit.windowMs));
    return { allowed: count <= limit.max, count, resetMs };
  }
}
