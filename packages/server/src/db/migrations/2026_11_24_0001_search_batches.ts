import { sql, type Kysely } from 'kysely';

/**
 * Full-text indexing in batches instead of per message. Indexing each message in the transaction
 * that stores it made FTS5 write and merge a new segment at every group commit: about half the
 * SQLite time of a conversation turn. Now an insert only notes the message id in `search_pending`,
 * and the search index plugin indexes the pending messages in one statement once a second (and
 * before every search, so results are never stale). Delete and update keep the index exact: a
 * message still pending is simply dropped from the queue, an indexed one is removed from FTS5.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE search_pending (id INTEGER PRIMARY KEY)`.execute(db);
  for (const trigger of ['messages_fts_insert', 'messages_fts_delete', 'messages_fts_update']) {
    await sql`DROP TRIGGER IF EXISTS ${sql.raw(trigger)}`.execute(db);
  }
  await sql`CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT OR IGNORE INTO search_pending (id) VALUES (new.id);
  END`.execute(db);
  await sql`CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text)
      SELECT 'delete', old.id, old.text WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE id = old.id);
    DELETE FROM search_pending WHERE id = old.id;
  END`.execute(db);
  await sql`CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text)
      SELECT 'delete', old.id, old.text WHERE NOT EXISTS (SELECT 1 FROM search_pending WHERE id = old.id);
    INSERT OR IGNORE INTO search_pending (id) VALUES (new.id);
  END`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of ['messages_fts_insert', 'messages_fts_delete', 'messages_fts_update']) {
    await sql`DROP TRIGGER IF EXISTS ${sql.raw(trigger)}`.execute(db);
  }
  await sql`DROP TABLE search_pending`.execute(db);
  await sql`CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
  END`.execute(db);
  await sql`CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
  END`.execute(db);
  await sql`CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
  END`.execute(db);
  await sql`INSERT INTO messages_fts (messages_fts) VALUES ('rebuild')`.execute(db);
}
