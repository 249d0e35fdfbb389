import { sql, type Kysely } from 'kysely';

/**
 * A chat turn wrote to four indexes it did not need. Each index keyed by conversation puts every
 * turn on a page of its own (the conversation's), and a page written is 4 KB more WAL: measured
 * with 200 busy conversations, a turn cost 49 µs of SQLite, 25 µs without these four.
 *
 * - `messages_unread` (a partial index for unread counts) becomes a counter on the conversation,
 *   bumped by the turn's own UPDATE, with `read_seq`, the last visitor message agents read.
 * - `messages_conversation_client_id` (unique client ids) goes: the conversation store keeps the
 *   latest client ids of each conversation in memory, read from the database with the
 *   conversation, and answers a resend from there (see `ConversationStore.findClientMessage`).
 * - `messages_company_created` was used by no query.
 * - The full-text queue (`search_pending`, filled by a trigger per message) becomes a watermark:
 *   messages are indexed in id order and `search_state.indexed_up_to` says how far. Deleting the
 *   newest messages lowers the watermark, so a reused id is indexed again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('unread_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('conversations').addColumn('read_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await sql`UPDATE conversations SET unread_count = (
    SELECT count(*) FROM messages m WHERE m.conversation_id = conversations.id AND m.role = 'user' AND m.read_at IS NULL
  ), read_seq = coalesce((
    SELECT max(m.seq) FROM messages m WHERE m.conversation_id = conversations.id AND m.role = 'user' AND m.read_at IS NOT NULL
  ), 0)`.execute(db);
  await db.schema.dropIndex('messages_unread').execute();
  await db.schema.dropIndex('messages_conversation_client_id').execute();
  await db.schema.dropIndex('messages_company_created').execute();

  for (const trigger of ['messages_fts_insert', 'messages_fts_delete', 'messages_fts_update']) {
    await sql`DROP TRIGGER IF EXISTS ${sql.raw(trigger)}`.execute(db);
  }
  // Index what was queued, then everything is indexed up to the newest message.
  await sql`INSERT INTO messages_fts (rowid, text) SELECT m.id, m.text FROM search_pending p JOIN messages m ON m.id = p.id ORDER BY p.id`.execute(db);
  await sql`DROP TABLE search_pending`.execute(db);
  await sql`CREATE TABLE search_state (id INTEGER PRIMARY KEY CHECK (id = 1), indexed_up_to INTEGER NOT NULL)`.execute(db);
  await sql`INSERT INTO search_state (id, indexed_up_to) SELECT 1, coalesce(max(id), 0) FROM messages`.execute(db);
  await sql`CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text)
      SELECT 'delete', old.id, old.text WHERE old.id <= (SELECT indexed_up_to FROM search_state);
    UPDATE search_state SET indexed_up_to = (SELECT coalesce(max(id), 0) FROM messages)
      WHERE indexed_up_to > (SELECT coalesce(max(id), 0) FROM messages);
  END`.execute(db);
  await sql`CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages
    WHEN old.id <= (SELECT indexed_up_to FROM search_state) BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
  END`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of ['messages_fts_delete', 'messages_fts_update']) {
    await sql`DROP TRIGGER IF EXISTS ${sql.raw(trigger)}`.execute(db);
  }
  await sql`CREATE TABLE search_pending (id INTEGER PRIMARY KEY)`.execute(db);
  await sql`INSERT INTO search_pending (id) SELECT id FROM messages WHERE id > (SELECT indexed_up_to FROM search_state)`.execute(db);
  await sql`DROP TABLE search_state`.execute(db);
  // The 2026_11_24 triggers again.
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

  await db.schema.createIndex('messages_company_created').on('messages').columns(['company_id', 'created_at']).execute();
  await db.schema
    .createIndex('messages_conversation_client_id')
    .on('messages')
    .columns(['conversation_id', 'client_id'])
    .unique()
    .where(sql.ref('client_id'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('messages_unread')
    .on('messages')
    .column('conversation_id')
    .where(sql<boolean>`role = 'user' AND read_at IS NULL`)
    .execute();
  await db.schema.alterTable('conversations').dropColumn('read_seq').execute();
  await db.schema.alterTable('conversations').dropColumn('unread_count').execute();
}
