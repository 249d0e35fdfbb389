import pg from 'pg';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import type { Database } from './tables/index.js';
import { migrationProviderFor } from './migrations/index.js';

/** An open PostgreSQL database: Kysely for queries, and the pool it draws connections from. */
export interface OpenPostgres {
  db: Kysely<Database>;
  pool: pg.Pool;
}

export interface OpenPostgresOptions {
  /** Connections this node keeps at most (default 10). Migrating holds two: the lock's and the migrator's. */
  maxConnections?: number;
  /**
   * Told when an idle pooled connection fails (the server restarted or closed it). The pool
   * drops that connection and the next query opens another; without a listener `pg` would throw
   * the error out of the process. Default: ignored.
   */
  onIdleError?: (error: Error) => void;
}

/**
 * One session-level advisory lock key, Parley's own: every node that starts takes it around its
 * migrations. Kysely's migrator takes a transaction lock of its own, but only after it has created
 * its bookkeeping tables, and two nodes running `CREATE TABLE IF NOT EXISTS` at once can both fail
 * on PostgreSQL's catalog; this lock is taken before anything runs.
 */
export const MIGRATION_LOCK_KEY = 0x7061726c; // 'parl'

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/**
 * Reads `bigint` (and `count(*)`) back as a JS number, as better-sqlite3 does, so a row has the
 * same type on both dialects. Every bigint Parley stores (ids, epoch milliseconds, byte sizes) is
 * far below 2^53; a larger one throws rather than lose digits. Set on this pool only, never on
 * the `pg` module, so another user of `pg` in the process keeps its strings.
 */
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID && format !== 'binary') {
      return (value: string): number => {
        const n = Number(value);
        if (!Number.isSafeInteger(n)) throw new Error(`bigint ${value} does not fit a JS number`);
        return n;
      };
    }
    // sum() over integers and avg() answer numeric: SQLite gives numbers, and so does this.
    if (oid === NUMERIC_OID && format !== 'binary') return (value: string): number => Number(value);
    return pg.types.getTypeParser(oid, format as 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/**
 * Opens a PostgreSQL database from a connection URL (`postgres://user@host:5432/name`) and
 * migrates it to the latest version, under an advisory lock so that nodes starting at once
 * migrate exactly once: the first runs the migrations, the others wait and find nothing pending.
 * Throws with the failing migration's name when a migration fails, and closes the pool.
 */
export async function openPostgres(url: string, options: OpenPostgresOptions = {}): Promise<OpenPostgres> {
  const pool = new pg.Pool({ connectionString: url, max: Math.max(2, options.maxConnections ?? 10), types });
  pool.on('error', options.onIdleError ?? (() => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migratePostgresToLatest(db, pool);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, pool };
}

/**
 * Runs every pending PostgreSQL migration while holding {@link MIGRATION_LOCK_KEY} on a connection
 * of its own (a session lock outlives the migrator's transactions). The lock is released, and the
 * connection returned, whatever the outcome; a node that dies mid-way loses it with its session.
 */
export async function migratePostgresToLatest(db: Kysely<Database>, pool: pg.Pool): Promise<void> {
  const lockHolder = await pool.connect();
  let broken: Error | undefined;
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const migrator = new Migrator({ db, provider: migrationProviderFor('postgres') });
      const { error, results } = await migrator.migrateToLatest();
      const failed = results?.find((r) => r.status === 'Error');
      if (error || failed) {
        const cause = error instanceof Error ? error.message : String(error ?? 'unknown error');
        throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${cause}`);
      }
    } finally {
      await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch((error: unknown) => {
        // A connection that cannot unlock is not given back to the pool holding the lock.
        broken = error instanceof Error ? error : new Error(String(error));
      });
    }
  } finally {
    lockHolder.release(broken);
  }
}
