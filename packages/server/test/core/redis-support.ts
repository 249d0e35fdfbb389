import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { Redis } from 'ioredis';
import { connectRedis } from '../../src/core/redis-connection.js';

/** The Redis the tests use (`PARLEY_TEST_REDIS_URL`, default the local one). */
export const redisUrl = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Under CI (or when asked) a missing Redis fails the tests instead of skipping them. */
const required = !['', 'false', '0'].includes(process.env.CI ?? '') || process.env.PARLEY_REQUIRE_SERVICES === '1';

async function reachable(): Promise<boolean> {
  const probe = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

const available = await reachable();

/**
 * `describe` for tests that need Redis: runs them when Redis answers; otherwise skips them with
 * a message, or, under CI or `PARLEY_REQUIRE_SERVICES=1`, fails.
 */
export function describeWithRedis(name: string, body: () => void): void {
  if (available) return void describe(name, body);
  if (required) {
    return void describe(name, () => {
      it('reaches Redis', () => {
        throw new Error(`Redis is required (CI or PARLEY_REQUIRE_SERVICES=1) but does not answer at ${redisUrl}`);
      });
    });
  }
  console.warn(`Skipping "${name}": no Redis at ${redisUrl} (set CI or PARLEY_REQUIRE_SERVICES=1 to fail instead)`);
  describe.skip(name, body);
}

/**
 * A key prefix of its own for one test, and the connections opened under it. `cleanup` closes
 * them and deletes every key that starts with the prefix.
 */
export function redisScope(): { prefix: string; connect: () => Redis; cleanup: () => Promise<void> } {
  const prefix = `parley-test:${randomBytes(6).toString('hex')}:`;
  const opened: Redis[] = [];
  return {
    prefix,
    connect: () => {
      const redis = connectRedis(redisUrl);
      redis.on('error', () => {});
      opened.push(redis);
      return redis;
    },
    cleanup: async () => {
      const admin = connectRedis(redisUrl);
      try {
        let cursor = '0';
        do {
          const [next, keys] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
          if (keys.length) await admin.del(...keys);
          cursor = next;
        } while (cursor !== '0');
      } finally {
        admin.disconnect();
        for (const redis of opened) redis.disconnect();
      }
    },
  };
}
