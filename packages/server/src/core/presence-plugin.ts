import fp from 'fastify-plugin';
import { PresenceTracker } from './presence.js';
import { sharedRedis } from './redis.js';

/** Decorates `app.presence`: in-process counts, or presence shared through Redis when `REDIS_URL` is set. */
export default fp(
  async (app) => {
    const redis = await sharedRedis(app);
    if (!redis) return void app.decorate('presence', new PresenceTracker(app.bus));
    // Several processes: presence lives in Redis (docs/scaling.md); loaded only then, with ioredis.
    const [{ SharedPresence }, { RedisPresence }, { RedisBus }] = await Promise.all([import('./shared-presence.js'), import('./redis-presence.js'), import('./redis-bus.js')]);
    if (!(app.bus instanceof RedisBus)) throw new Error('Presence across nodes needs the Redis bus');
    let lastLogged = 0;
    const onError = (error: unknown) => {
      if (Date.now() - lastLogged < 10_000) return;
      lastLogged = Date.now();
      app.log.warn({ err: error }, 'Redis presence error');
    };
    const shared = new RedisPresence({ redis: redis.connection, bus: app.bus, prefix: redis.prefix, nodeId: redis.nodeId, onError });
    const presence = new SharedPresence(app.bus, shared, onError);
    presence.start();
    redis.onClose(() => presence.close());
    app.decorate('presence', presence);
  },
  { name: 'presence', dependencies: ['bus'] },
);
