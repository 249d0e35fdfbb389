import { join } from 'node:path';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type SQLite from 'better-sqlite3';
import { openDatabase, type Database } from '../db/database.js';
import { GroupCommit } from '../db/group-commit.js';
import { startCheckpointer } from '../db/checkpointer.js';
import { truncateWal } from '../db/connection.js';
import { ExternalChanges } from '../db/external-changes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Kysely over the SQLite database, for every query off the hot path. */
    db: Kysely<Database>;
    /** The raw SQLite connection, for prepared statements on the hot path. */
    sqlite: SQLite.Database;
    /** The group-commit write queue: one transaction per event-loop turn, settled after commit. */
    writes: GroupCommit;
    /** Commits by other processes (`parley company add` beside a running server), for caches to reload. */
    externalChanges: ExternalChanges;
  }
}

/** How large the WAL may grow before a checkpoint holds writers back to start it over. */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;

/** How often the server looks for commits made by another process. */
const EXTERNAL_CHANGES_INTERVAL_MS = 1000;

/**
 * Opens `<dataDir>/parley.sqlite` (WAL, migrated), the write queue, the background checkpointer and
 * the watch for other processes' commits.
 */
export default fp(
  async (app) => {
    const file = join(app.config.dataDir, 'parley.sqlite');
    const { db, sqlite } = await openDatabase(file, { synchronous: app.config.sqliteSynchronous, externalCheckpoints: true });
    const writes = new GroupCommit(sqlite);
    const checkpointer = startCheckpointer(file, { intervalMs: 100, walLimitBytes: WAL_LIMIT_BYTES }, (message) =>
      app.log.warn({ message }, 'WAL checkpoint failed'),
    );
    writes.beforeBatch = () => checkpointer.catchUp(sqlite);
    app.decorate('db', db);
    app.decorate('sqlite', sqlite);
    app.decorate('writes', writes);
    const externalChanges = new ExternalChanges(sqlite, EXTERNAL_CHANGES_INTERVAL_MS, (error) =>
      app.log.error({ err: error }, 'reloading after another process changed the database failed'),
    );
    app.decorate('externalChanges', externalChanges);
    app.addHook('onClose', async () => {
      externalChanges.stop();
      writes.close();
      await checkpointer.stop();
      try {
        truncateWal(sqlite);
      } catch (error) {
        app.log.warn({ err: error }, 'final WAL checkpoint failed');
      }
      await db.destroy();
    });
  },
  { name: 'database' },
);
