import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * What several nodes writing one conversation need (written once for both dialects):
 * - `conversations.state_version`: bumped by every write that changes the conversation's state
 *   (status, assignee, flow, terminal, closed). On PostgreSQL each write states the version its
 *   node decided on and fails when another node changed the state meanwhile (a compare-and-set);
 *   SQLite, one process whose memory is the truth, leaves it at 0.
 * - On PostgreSQL only, the unique `(conversation_id, client_id)` index comes back: a resend that
 *   reaches a node which never saw the first attempt is caught in the database. SQLite answers
 *   resends from the client ids its one process holds (see 2026_11_26 lean turns).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('state_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  if (isPostgres(db)) {
    await db.schema
      .createIndex('messages_conversation_client_id')
      .on('messages')
      .columns(['conversation_id', 'client_id'])
      .unique()
      .where(sql.ref('client_id'), 'is not', null)
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) await db.schema.dropIndex('messages_conversation_client_id').execute();
  await db.schema.alterTable('conversations').dropColumn('state_version').execute();
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
