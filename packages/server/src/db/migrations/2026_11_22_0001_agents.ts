import { sql, type Kysely } from 'kysely';

/**
 * Live agents: users, hand-off columns on conversations, the company API-key lookup, an index
 * for unread counts, and full-text search over messages (an external-content FTS5 table that
 * triggers keep in step with `messages`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('avatar_url', 'text')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Emails are stored lower-cased; one account per email across the instance (login has no company).
  await db.schema.createIndex('users_email').on('users').column('email').unique().execute();
  await db.schema.createIndex('users_company').on('users').columns(['company_id', 'created_at']).execute();

  await db.schema.alterTable('conversations').addColumn('visitor_id', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('handoff_at', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('handoff_reason', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('handoff_context', 'text').execute();
  await db.schema.createIndex('conversations_company_visitor').on('conversations').columns(['company_id', 'visitor_id']).execute();
  await db.schema
    .createIndex('conversations_company_queue')
    .on('conversations')
    .columns(['company_id', 'status', 'handoff_at'])
    .execute();
  await db.schema.createIndex('conversations_assignee').on('conversations').column('assignee_id').execute();

  await db.schema.createIndex('companies_api_key').on('companies').column('api_key_hash').unique().execute();
  await db.schema.createIndex('leads_conversation').on('leads').columns(['conversation_id', 'created_at']).execute();

  // Visitor messages no agent has read yet: a small partial index for the inbox's unread counts.
  await db.schema
    .createIndex('messages_unread')
    .on('messages')
    .column('conversation_id')
    .where(sql<boolean>`role = 'user' AND read_at IS NULL`)
    .execute();

  await sql`CREATE VIRTUAL TABLE messages_fts USING fts5(
    text, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
  )`.execute(db);
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

export async function down(db: Kysely<any>): Promise<void> {
  for (const trigger of ['messages_fts_update', 'messages_fts_delete', 'messages_fts_insert']) {
    await sql`DROP TRIGGER IF EXISTS ${sql.raw(trigger)}`.execute(db);
  }
  await sql`DROP TABLE IF EXISTS messages_fts`.execute(db);
  await db.schema.dropIndex('messages_unread').execute();
  await db.schema.dropIndex('leads_conversation').execute();
  await db.schema.dropIndex('companies_api_key').execute();
  await db.schema.dropIndex('conversations_assignee').execute();
  await db.schema.dropIndex('conversations_company_queue').execute();
  await db.schema.dropIndex('conversations_company_visitor').execute();
  for (const column of ['handoff_context', 'handoff_reason', 'handoff_at', 'visitor_id']) {
    await db.schema.alterTable('conversations').dropColumn(column).execute();
  }
  await db.schema.dropTable('users').execute();
}
