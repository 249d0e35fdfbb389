import fp from 'fastify-plugin';
import { PostgresLeader, SoleLeader, type Leader } from './leader.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * Whether this node runs the periodic jobs meant for one node only; `app.leader.every(...)`
     * runs one while it does. Always the leader on SQLite; on PostgreSQL the node holding the
     * leader's advisory lock.
     */
    leader: Leader;
  }
}

/**
 * Decorates `app.leader`. On PostgreSQL the first try is over before the plugin is ready (so a
 * lone node leads from its first request on), and the lock is let go when the app closes, before
 * the database.
 */
export default fp(
  async (app) => {
    if (app.database.dialect === 'sqlite') return void app.decorate('leader', new SoleLeader() as Leader);
    let lastLogged = 0;
    const leader = new PostgresLeader(app.database.pool, {
      ...(app.config.leaderRetryMs !== undefined ? { retryMs: app.config.leaderRetryMs } : {}),
      onError: (error) => {
        if (Date.now() - lastLogged < 10_000) return;
        lastLogged = Date.now();
        app.log.warn({ err: error }, 'leadership: the advisory lock could not be taken or kept; trying again');
      },
    });
    leader.onChange((leading) => app.log.info({ leading }, leading ? 'this node leads the periodic jobs' : 'this node no longer leads the periodic jobs'));
    await leader.start();
    app.decorate('leader', leader as Leader);
    app.addHook('onClose', async () => leader.close());
  },
  { name: 'leader', dependencies: ['database'] },
);
