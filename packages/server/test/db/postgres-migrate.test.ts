import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { migrationsFor } from '../../src/db/migrations/index.js';
import { MIGRATION_LOCK_KEY, openPostgres, type OpenPostgres } from '../../src/db/postgres.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './postgres-helper.js';

const hasPostgres = await requirePostgres();

describe.skipIf(!hasPostgres)('nodes starting on one PostgreSQL database', () => {
  const opened: OpenPostgres[] = [];
  const databases: TestDatabase[] = [];

  async function newDatabase(): Promise<TestDatabase> {
    const database = await createTestDatabase('migrate');
    databases.push(database);
    return database;
  }

  async function open(url: string): Promise<OpenPostgres> {
    const node = await openPostgres(url);
    opened.push(node);
    return node;
  }

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((node) => node.db.destroy()));
    await Promise.all(databases.splice(0).map((database) => database.drop()));
  });

  it('migrate it exactly once when three start at the same moment', async () => {
    const { url } = await newDatabase();
    const nodes = await Promise.all([open(url), open(url), open(url)]);

    const { rows } = await nodes[0]!.pool.query<{ name: string; runs: number }>(
      'SELECT name, count(*)::int AS runs FROM kysely_migration GROUP BY name ORDER BY name',
    );
    expect(rows).toEqual(Object.keys(migrationsFor('postgres')).map((name) => ({ name, runs: 1 })));
    // Each node can use what the first one built.
    for (const node of nodes) {
      const companies = await node.db.selectFrom('companies').select('id').execute();
      expect(companies).toEqual([]);
    }
  });

  it('wait for the node holding the migration lock before migrating', async () => {
    const { url } = await newDatabase();
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      let done = false;
      const starting = open(url).then(() => {
        done = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(done).toBe(false);
      const before = await holder.query("SELECT to_regclass('public.kysely_migration') AS t");
      expect(before.rows[0].t).toBeNull();

      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      await starting;
      expect(done).toBe(true);
      const after = await holder.query('SELECT count(*)::int AS n FROM kysely_migration');
      expect(after.rows[0].n).toBe(Object.keys(migrationsFor('postgres')).length);
    } finally {
      await holder.end();
    }
  });

  it('find nothing to do when the database is already migrated, and release the lock', async () => {
    const { url } = await newDatabase();
    await open(url);
    const again = await open(url);
    const { rows } = await again.pool.query('SELECT count(*)::int AS n FROM kysely_migration');
    expect(rows[0].n).toBe(Object.keys(migrationsFor('postgres')).length);
    // This database's only: other test files migrate databases of their own at the same time.
    const locks = await again.pool.query(
      "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      [MIGRATION_LOCK_KEY],
    );
    expect(locks.rows[0].n).toBe(0);
  });
});
