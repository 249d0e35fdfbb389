import type { Kysely } from 'kysely';

/**
 * `conversations_company_status` (company, status) is the prefix of
 * `conversations_company_queue` (company, status, hand-off time), which serves every query it
 * served. On PostgreSQL a turn's update of the conversation row changes an indexed column (its
 * `updated_at`), so it adds an entry to every index of the table: one index fewer is one entry
 * fewer per turn, and per conversation started on both databases.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('conversations_company_status').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('conversations_company_status').on('conversations').columns(['company_id', 'status']).execute();
}
