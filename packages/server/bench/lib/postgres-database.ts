import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL server the bench makes its databases on (a user that may create and drop them):
 * `PARLEY_TEST_POSTGRES_URL`, as for the tests, by default the local one CI starts.
 */
export const postgresAdminUrl = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh database of the bench's own: its URL, and how to drop it. */
export interface BenchDatabase {
  name: string;
  url: string;
  /** Drops it, closing the connections still open to it. */
  drop(): Promise<void>;
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates an empty database named after `label` with a random suffix. */
export async function createBenchDatabase(label: string): Promise<BenchDatabase> {
  if (!/^[a-z0-9_]+$/.test(label)) throw new Error(`a database label is lowercase letters, digits and _: ${label}`);
  const name = `parley_${label}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(postgresAdminUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
