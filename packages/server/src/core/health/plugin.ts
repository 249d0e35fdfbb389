import fp from 'fastify-plugin';
import { migrationsFor } from '../../db/migrations/index.js';
import { Readiness } from './readiness.js';
import type { RedisBus } from '../redis-bus.js';
import { readinessRoutes } from './routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether this node should get traffic (`/readyz`); `drain()` it before stopping. */
    readiness: Readiness;
  }
}

/** Liveness and readiness: `/livez`, `/readyz`, and the `readiness` state shutdown drains. */
export default fp(
  async (app) => {
    const names = Object.keys(migrationsFor(app.database.dialect));
    const readiness = new Readiness(app.database, names);
    app.decorate('readiness', readiness);
    const bus = app.bus as Partial<RedisBus>;
    if (app.redis && typeof bus.healthy === 'boolean') readiness.watchRedis(() => bus.healthy === true);
    app.addHook('preClose', async () => readiness.drain());
    await app.register(readinessRoutes);
  },
  { name: 'health', dependencies: ['database', 'bus'] },
);
