import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/**
 * A key prefix of the bench's own on a shared Redis (`parley-bench:<random>:`), so its nodes'
 * keys and channels never meet another deployment's, and `clear` deletes exactly what they left.
 */
export class RedisScope {
  /** Starts every key and channel of the nodes given it (`PARLEY_REDIS_PREFIX`). */
  readonly prefix = `parley-bench:${randomBytes(6).toString('hex')}:`;

  constructor(
    /** `redis://…`: what the nodes get as `REDIS_URL`. */
    readonly url: string,
  ) {}

  /** Whether Redis answers at `url`. */
  async reachable(): Promise<boolean> {
    const probe = new Redis(this.url, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }

  /** Deletes every key under the prefix; returns how many there were. */
  async clear(): Promise<number> {
    const redis = new Redis(this.url, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    let deleted = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.prefix}*`, 'COUNT', 1000);
        if (keys.length) deleted += await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    return deleted;
  }
}
