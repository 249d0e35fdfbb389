import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationProvider } from '../../src/db/migrations/index.js';
import { onCleanup, tempDataDir } from '../helper.js';

/** A database as the release before 2026_11_27 left it, with two webhook endpoints (one disabled). */
async function databaseWithEndpoints() {
  const sqlite = new SQLite(join(tempDataDir(), 'old.sqlite'));
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
  onCleanup(() => db.destroy());
  const migrator = new Migrator({ db, provider: migrationProvider });
  expect((await migrator.migrateTo('2026_11_26_0002_search_detail_none')).error).toBeUndefined();
  const now = new Date().toISOString();
  sqlite.prepare("INSERT INTO companies (id, name, site_key, created_at) VALUES ('co', 'Co', 'site', ?)").run(now);
  const insert = sqlite.prepare(
    `INSERT INTO webhook_endpoints (id, company_id, url, events, secret_sealed, enabled, created_at, updated_at)
     VALUES (?, 'co', ?, '["lead.created"]', 'v1.a.b.c', ?, ?, ?)`,
  );
  insert.run('on', 'https://crm.example.com/hook', 1, now, now);
  insert.run('off', 'https://old.example.com/hook', 0, now, now);
  return { sqlite, migrator };
}

const columns = (sqlite: SQLite.Database) =>
  (sqlite.prepare("SELECT name FROM pragma_table_info('webhook_endpoints')").all() as Array<{ name: string }>).map((row) => row.name);

describe('the 2026_11_27_0001 migration (webhook endpoints disabled for failing)', () => {
  it('starts every endpoint with no failures and no reason, and keeps whether it was enabled', async () => {
    const { sqlite, migrator } = await databaseWithEndpoints();
    expect((await migrator.migrateTo('2026_11_27_0001_webhook_auto_disable')).error).toBeUndefined();
    const rows = sqlite.prepare('SELECT id, url, enabled, consecutive_failures, disabled_reason FROM webhook_endpoints ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'off', url: 'https://old.example.com/hook', enabled: 0, consecutive_failures: 0, disabled_reason: null },
      { id: 'on', url: 'https://crm.example.com/hook', enabled: 1, consecutive_failures: 0, disabled_reason: null },
    ]);
  });

  it('goes back down without the columns, an endpoint disabled for failing staying disabled', async () => {
    const { sqlite, migrator } = await databaseWithEndpoints();
    expect((await migrator.migrateTo('2026_11_27_0001_webhook_auto_disable')).error).toBeUndefined();
    sqlite.prepare("UPDATE webhook_endpoints SET enabled = 0, disabled_reason = 'failing', consecutive_failures = 3 WHERE id = 'on'").run();
    expect((await migrator.migrateTo('2026_11_26_0002_search_detail_none')).error).toBeUndefined();
    expect(columns(sqlite)).not.toContain('consecutive_failures');
    expect(columns(sqlite)).not.toContain('disabled_reason');
    expect(sqlite.prepare('SELECT id, enabled FROM webhook_endpoints ORDER BY id').all()).toEqual([
      { id: 'off', enabled: 0 },
      { id: 'on', enabled: 0 },
    ]);
  });
});
