import { join } from 'node:path';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type SQLite from 'better-sqlite3';
import { openDatabase, type Database } from '../db/database.js';
import { openPostgres } from '../db/postgres.js';
import type { DatabaseHandle } from '../db/handle.js';
import { GroupCommit } from '../db/group-commit.js';
import { PostgresGroupCommit } from '../db/postgres-group-commit.js';
import type { WriteQueue } from '../db/write-queue.js';
import { startCheckpointer } from '../db/checkpointer.js';
import { truncateWal } from '../db/connection.js';
import { ExternalChanges, postgresSettingsVersion, sqliteDataVersion } from '../db/external-changes.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The database the server stores in (SQLite or PostgreSQL), for prepared queries. */
    database: DatabaseHandle;
    /** Kysely over the database, for every query off the hot path. */
    db: Kysely<Database>;
    /**
     * The raw SQLite connection, for what only SQLite has (its full-text index, WAL upkeep).
     * Undefined when the server stores in PostgreSQL: check `database.dialect` first.
     */
    sqlite: SQLite.Database;
    /** The group-commit write queue: one transaction per event-loop turn, settled after commit. */
    writes: WriteQueue;
    /** Commits by other processes (`parley company add` beside a running server), for caches to reload. */
    externalChanges: ExternalChanges;
  }
}

/** How large the WAL may grow before a checkpoint holds writers back to start it over. */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;

/** How often the server looks for commits made by another process. */
const EXTERNAL_CHANGES_INTERVAL_MS = 1000;

/** Requests that never read a setting: probes, metrics, the widget and dashboard files. */
const STATIC_PATH = /^\/(?:livez|readyz|health|metrics|widget\.js|admin(?:\/|$)|assets\/)/;

/**
 * Opens the database: PostgreSQL when `DATABASE_URL` is set, else `<dataDir>/parley.sqlite` (WAL,
 * migrated) with its background checkpointer and the watch for other processes' commits; then
 * the write queue for that dialect.
 */
export default fp(
  async (app) => {
    if (app.config.databaseUrl) {
      const { db, pool } = await openPostgres(app.config.databaseUrl, {
        onIdleError: (error) => app.log.warn({ err: error }, 'an idle PostgreSQL connection failed'),
      });
      const writes = new PostgresGroupCommit(pool);
      app.decorate('database', { dialect: 'postgres', db, pool } satisfies DatabaseHandle);
      app.decorate('db', db);
      app.decorate('sqlite', undefined as unknown as SQLite.Database);
      app.decorate('writes', writes);
      // Another node (or the CLI) changed a setting: triggers bump `settings_version` (see ExternalChanges).
      const externalChanges = new ExternalChanges(postgresSettingsVersion(pool), EXTERNAL_CHANGES_INTERVAL_MS, (error) =>
        app.log.warn({ err: error }, 'reading or reloading the settings another node changed failed'),
      );
      app.decorate('externalChanges', externalChanges);
      // Read your own writes across nodes: a request that follows a change made through another
      // node is handled with that change (one shared version read per burst of requests).
      app.addHook('onRequest', (request, _reply, done) => {
        if (request.method === 'GET' && STATIC_PATH.test(request.url)) return done();
        externalChanges.fresh().then(() => done(), done);
      });
      app.addHook('onClose', async () => {
        externalChanges.stop();
        await writes.close();
        await db.destroy();
      });
      return;
    }
    const file = join(app.config.dataDir, 'parley.sqlite');
    const { db, sqlite } = await openDatabase(file, { synchronous: app.config.sqliteSynchronous, externalCheckpoints: true });
    const writes = new GroupCommit(sqlite);
    const checkpointer = startCheckpointer(file, { intervalMs: 100, walLimitBytes: WAL_LIMIT_BYTES }, (message) =>
      app.log.warn({ message }, 'WAL checkpoint failed'),
    );
    writes.beforeBatch = () => checkpointer.catchUp(sqlite);
    app.decorate('database', { dialect: 'sqlite', db, sqlite } satisfies DatabaseHandle);
    app.decorate('db', db);
    app.decorate('sqlite', sqlite);
    app.decorate('writes', writes);
    const externalChanges = new ExternalChanges(sqliteDataVersion(sqlite), EXTERNAL_CHANGES_INTERVAL_MS, (error) =>
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
