import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Where the tests find PostgreSQL: a server they may create and drop databases on. The default is
 * the one CI starts (`.ci/run`): loopback, trust authentication, user `postgres`.
 */
export const POSTGRES_ADMIN_URL = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Under CI (or with `PARLEY_REQUIRE_SERVICES=1`) a missing PostgreSQL fails a test instead of skipping it. */
export function servicesRequired(): boolean {
  const on = (value: string | undefined) => value !== undefined && !['', '0', 'false'].includes(value.toLowerCase());
  return on(process.env.PARLEY_REQUIRE_SERVICES) || on(process.env.CI);
}

/**
 * Whether the PostgreSQL tests can run: true when the server answers. When it does not, a
 * developer's machine skips them (returns false) and CI throws, naming what it tried, so a
 * missing database never passes for a green run. Use at the top of a test file:
 * `const hasPostgres = await requirePostgres();` then `describe.skipIf(!hasPostgres)(...)`.
 */
export async function requirePostgres(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    if (!servicesRequired()) return false;
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `PostgreSQL is required here (CI or PARLEY_REQUIRE_SERVICES=1) but ${POSTGRES_ADMIN_URL} does not answer: ${reason}. ` +
        'Start it (see .ci/run) or point PARLEY_TEST_POSTGRES_URL at one.',
    );
  } finally {
    await client.end().catch(() => {});
  }
}

/** A database made for one test file, and how to reach and drop it. */
export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Creates an empty database with a unique name; `drop()` removes it even with connections left open. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  if (!/^[a-z0-9_]+$/.test(label)) throw new Error(`a database label is lowercase letters, digits and _: ${label}`);
  const name = `parley_test_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
