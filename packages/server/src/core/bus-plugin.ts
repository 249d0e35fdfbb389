import fp from 'fastify-plugin';
import { MemoryBus, type EventBus } from './bus.js';
import { sharedRedis } from './redis.js';

/** Decorates `app.bus`: the in-process bus, or the Redis bus when `REDIS_URL` is set. */
export default fp(
  async (app) => {
    const onHandlerError = (error: unknown) => app.log.error({ err: error }, 'bus handler failed');
    const redis = await sharedRedis(app);
    if (!redis) return void app.decorate('bus', new MemoryBus(onHandlerError) as EventBus);
    // Several processes: events go through Redis pub/sub (docs/scaling.md); loaded only then, with ioredis.
    const { RedisBus } = await import('./redis-bus.js');
    let lastLogged = 0;
    const bus = new RedisBus({
      redis: redis.connection,
      prefix: redis.prefix,
      nodeId: redis.nodeId,
      onHandlerError,
      onError: (error) => {
        if (Date.now() - lastLogged < 10_000) return;
        lastLogged = Date.now();
        app.log.warn({ err: error }, 'Redis bus error');
      },
    });
    bus.on('down', () => app.log.warn('Redis bus subscription lost: not ready until it is back'));
    bus.on('up', () => app.log.info('Redis bus subscribed'));
    redis.onClose(() => bus.close());
    app.decorate('bus', bus as EventBus);
  },
  { name: 'bus' },
);
