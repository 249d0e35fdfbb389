import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationProviderFor, type MigrationDialect } from '../../src/db/migrations/index.js';
import { onCleanup, tempDataDir } from '../helper.js';
import { createTestDatabase, requirePostgres } from './postgres-helper.js';

const hasPostgres = await requirePostgres();

/** An empty database of the dialect, with Kysely. */
async function open(dialect: MigrationDialect): Promise<Kysely<any>> {
  if (dialect === 'sqlite') {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SQLite(join(tempDataDir(), 'old.sqlite')) }) });
    onCleanup(() => db.destroy());
    return db;
  }
  const database = await createTestDatabase('steps_in_facts');
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url }) }) });
  onCleanup(async () => {
    await db.destroy();
    await database.drop();
  });
  return db;
}

/** A database as the release before 2026_12_08 left it, with two conversations' facts and the steps one reached. */
async function databaseWithStepRows(dialect: MigrationDialect) {
  const db = await open(dialect);
  const migrator = new Migrator({ db, provider: migrationProviderFor(dialect) });
  expect((await migrator.migrateTo('2026_12_07_0001_instance_secret')).error).toBeUndefined();
  const now = new Date().toISOString();
  await sql`INSERT INTO companies (id, name, site_key, created_at) VALUES ('co', 'Co', 'site', ${now})`.execute(db);
  for (const id of ['c1', 'c2']) {
    await sql`INSERT INTO conversations (id, company_id, session_hash, created_at, updated_at) VALUES (${id}, 'co', ${`h-${id}`}, ${now}, ${now})`.execute(db);
    await sql`INSERT INTO conversation_facts (conversation_id, company_id, created_ms) VALUES (${id}, 'co', 1)`.execute(db);
  }
  await sql`UPDATE conversation_facts SET last_step = 'menu', previous_step = 'welcome' WHERE conversation_id = 'c1'`.execute(db);
  for (const step of ['welcome', 'menu']) await sql`INSERT INTO conversation_steps (conversation_id, step) VALUES ('c1', ${step})`.execute(db);
  return { db, migrator };
}

describe.each(['sqlite', ...(hasPostgres ? ['postgres'] : [])] as MigrationDialect[])('the 2026_12_08 migration (steps in the facts row) on %s', (dialect) => {
  it("moves each conversation's reached steps into its facts row and drops the step rows", async () => {
    const { db, migrator } = await databaseWithStepRows(dialect);
    expect((await migrator.migrateTo('2026_12_08_0001_steps_in_facts')).error).toBeUndefined();
    const { rows } = await sql<{ conversation_id: string; steps: string | null; last_step: string | null }>`
      SELECT conversation_id, steps, last_step FROM conversation_facts ORDER BY conversation_id`.execute(db);
    expect(rows.map((row) => ({ ...row, steps: row.steps && (JSON.parse(row.steps) as string[]).sort() }))).toEqual([
      { conversation_id: 'c1', steps: ['menu', 'welcome'], last_step: 'menu' },
      { conversation_id: 'c2', steps: null, last_step: null },
    ]);
    const tables = await db.introspection.getTables();
    expect(tables.map((table) => table.name)).not.toContain('conversation_steps');
    expect(tables.find((table) => table.name === 'conversation_facts')!.columns.map((column) => column.name)).not.toContain('previous_step');
  });

  it('goes back down to a row per step', async () => {
    const { db, migrator } = await databaseWithStepRows(dialect);
    expect((await migrator.migrateTo('2026_12_08_0001_steps_in_facts')).error).toBeUndefined();
    expect((await migrator.migrateDown()).error).toBeUndefined();
    const { rows } = await sql`SELECT conversation_id, step FROM conversation_steps ORDER BY step`.execute(db);
    expect(rows).toEqual([
      { conversation_id: 'c1', step: 'menu' },
      { conversation_id: 'c1', step: 'welcome' },
    ]);
  });
});
