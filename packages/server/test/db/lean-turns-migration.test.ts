import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { migrationProvider } from '../../src/db/migrations/index.js';
import { onCleanup, tempDataDir } from '../helper.js';

/** A database as the release before 2026_11_26 left it, with Kysely and the raw connection. */
async function databaseBeforeLeanTurns() {
  const sqlite = new SQLite(join(tempDataDir(), 'old.sqlite'));
  const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
  onCleanup(() => db.destroy());
  const migrator = new Migrator({ db, provider: migrationProvider });
  const before = await migrator.migrateTo('2026_11_25_0001_search_merge_steps');
  expect(before.error).toBeUndefined();
  return { sqlite, db, migrator };
}

describe('the 2026_11_26 migration (lean turns)', () => {
  it('keeps unread counts, indexes the queued messages and drops the per-turn indexes', async () => {
    const { sqlite, migrator } = await databaseBeforeLeanTurns();
    const now = new Date().toISOString();
    sqlite.prepare("INSERT INTO companies (id, name, site_key, created_at) VALUES ('co', 'Co', 'site', ?)").run(now);
    sqlite
      .prepare("INSERT INTO conversations (id, company_id, session_hash, created_at, updated_at) VALUES ('c1', 'co', 'h', ?, ?)")
      .run(now, now);
    const insert = sqlite.prepare(
      "INSERT INTO messages (conversation_id, company_id, seq, role, components, text, read_at, created_at) VALUES ('c1', 'co', ?, ?, '[]', ?, ?, ?)",
    );
    insert.run(1, 'bot', 'hello there', null, now);
    insert.run(2, 'user', 'read walrus', now, now);
    insert.run(3, 'user', 'unread walrus', null, now);
    insert.run(4, 'user', 'another walrus', null, now);
    // Still queued for the full-text index when the old release stopped.
    expect(sqlite.prepare('SELECT count(*) AS n FROM search_pending').get()).toEqual({ n: 4 });

    const after = await migrator.migrateTo('2026_11_26_0001_lean_turns');
    expect(after.error).toBeUndefined();
    expect(sqlite.prepare("SELECT unread_count, read_seq FROM conversations WHERE id = 'c1'").get()).toEqual({ unread_count: 2, read_seq: 2 });
    const hits = sqlite.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'walrus'").all();
    expect(hits).toHaveLength(3);
    expect(sqlite.prepare('SELECT indexed_up_to AS upTo FROM search_state').get()).toEqual({ upTo: 4 });
    const indexes = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'").all() as Array<{ name: string }>).map(
      (row) => row.name,
    );
    expect(indexes).not.toContain('messages_unread');
    expect(indexes).not.toContain('messages_conversation_client_id');
    expect(indexes).not.toContain('messages_company_created');
    expect(indexes).toContain('messages_conversation_seq');
    const triggers = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as Array<{ name: string }>).map((row) => row.name);
    expect(triggers.sort()).toEqual(['messages_fts_delete', 'messages_fts_update']);
  });

  it('goes back down to the queue and the indexes it replaced', async () => {
    const { sqlite, migrator } = await databaseBeforeLeanTurns();
    expect((await migrator.migrateTo('2026_11_26_0001_lean_turns')).error).toBeUndefined();
    expect((await migrator.migrateDown()).error).toBeUndefined();
    const names = (sqlite.prepare("SELECT name FROM sqlite_master WHERE name IN ('messages_unread', 'search_pending', 'messages_fts_insert')").all() as Array<{
      name: string;
    }>).map((row) => row.name);
    expect(names.sort()).toEqual(['messages_fts_insert', 'messages_unread', 'search_pending']);
    expect(sqlite.prepare("SELECT count(*) AS n FROM pragma_table_info('conversations') WHERE name = 'unread_count'").get()).toEqual({ n: 0 });
  });

  it('then rebuilds the full-text index without word positions, with everything indexed still found', async () => {
    const { sqlite, migrator } = await databaseBeforeLeanTurns();
    const now = new Date().toISOString();
    sqlite.prepare("INSERT INTO companies (id, name, site_key, created_at) VALUES ('co', 'Co', 'site', ?)").run(now);
    sqlite.prepare("INSERT INTO conversations (id, company_id, session_hash, created_at, updated_at) VALUES ('c1', 'co', 'h', ?, ?)").run(now, now);
    const insert = sqlite.prepare("INSERT INTO messages (conversation_id, company_id, seq, role, components, text, created_at) VALUES ('c1', 'co', ?, 'user', '[]', ?, ?)");
    insert.run(1, 'Where is my parcel', now);
    insert.run(2, 'I want a refund for the parcel', now);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    const ddl = (sqlite.prepare("SELECT sql FROM sqlite_master WHERE name = 'messages_fts'").get() as { sql: string }).sql;
    expect(ddl).toContain('detail = none');
    const search = (query: string) =>
      sqlite.prepare("SELECT rowid, snippet(messages_fts, 0, '[', ']', '…', 12) AS s FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rank").all(query);
    expect(search('"parcel"')).toHaveLength(2);
    expect(search('"refu"*')).toEqual([{ rowid: 2, s: 'I want a [refund] for the parcel' }]);
    expect(sqlite.prepare("SELECT v FROM messages_fts_config WHERE k = 'automerge'").get()).toEqual({ v: 0 });
    expect((await migrator.migrateDown()).error).toBeUndefined();
    expect(search('"parcel" "refund"')).toHaveLength(1);
  });
});
