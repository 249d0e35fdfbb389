import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationProvider } from '../../src/db/migrations/index.js';
import { onCleanup, tempDataDir } from '../helper.js';

/** A database just before 2026_11_27_0002, with one webhook endpoint. */
async function databaseWithEndpoint() {
  const sqlite = new SQLite(join(tempDataDir(), 'old.sqlite'));
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
  onCleanup(() => db.destroy());
  const migrator = new Migrator({ db, provider: migrationProvider });
  expect((await migrator.migrateTo('2026_11_27_0001_webhook_auto_disable')).error).toBeUndefined();
  const now = new Date().toISOString();
  sqlite.prepare("INSERT INTO companies (id, name, site_key, created_at) VALUES ('co', 'Co', 'site', ?)").run(now);
  sqlite
    .prepare(
      `INSERT INTO webhook_endpoints (id, company_id, url, events, secret_sealed, created_at, updated_at)
       VALUES ('hook', 'co', 'https://crm.example.com/hook', '["lead.created"]', 'v1.current.sealed.secret', ?, ?)`,
    )
    .run(now, now);
  return { sqlite, migrator };
}

describe('the 2026_11_27_0002 migration (previous webhook secrets)', () => {
  it('gives every endpoint no previous secret, keeping its current one', async () => {
    const { sqlite, migrator } = await databaseWithEndpoint();
    expect((await migrator.migrateTo('2026_11_27_0002_webhook_previous_secret')).error).toBeUndefined();
    expect(sqlite.prepare('SELECT secret_sealed, previous_secret_sealed, previous_secret_expires_at FROM webhook_endpoints').get()).toEqual({
      secret_sealed: 'v1.current.sealed.secret',
      previous_secret_sealed: null,
      previous_secret_expires_at: null,
    });
  });

  it('goes back down forgetting previous secrets, the current one kept', async () => {
    const { sqlite, migrator } = await databaseWithEndpoint();
    expect((await migrator.migrateTo('2026_11_27_0002_webhook_previous_secret')).error).toBeUndefined();
    sqlite.prepare("UPDATE webhook_endpoints SET previous_secret_sealed = 'v1.old.sealed.secret', previous_secret_expires_at = '2026-11-28T10:00:00.000Z'").run();
    expect((await migrator.migrateTo('2026_11_27_0001_webhook_auto_disable')).error).toBeUndefined();
    const columns = (sqlite.prepare("SELECT name FROM pragma_table_info('webhook_endpoints')").all() as Array<{ name: string }>).map((row) => row.name);
    expect(columns).not.toContain('previous_secret_sealed');
    expect(columns).not.toContain('previous_secret_expires_at');
    expect(sqlite.prepare('SELECT id, secret_sealed FROM webhook_endpoints').all()).toEqual([{ id: 'hook', secret_sealed: 'v1.current.sealed.secret' }]);
  });
});
