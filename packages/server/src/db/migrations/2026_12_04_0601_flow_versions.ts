import { sql, type Kysely } from 'kysely';

/**
 * Every company edits its own bot: each published flow keeps a version number per company (1, 2,
 * 3... in publishing order; rows before this migration are numbered by their creation time), a
 * company may keep one unpublished draft, and a "Try it" conversation in the dashboard is marked
 * as a test so the inbox neither shows nor counts it. Flows run only by such tests are stored with
 * version 0, outside the numbering (hence the partial unique index).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('flows').addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('flows').addColumn('published_by', 'text').execute();
  await sql`UPDATE flows SET version = (
      SELECT COUNT(*) FROM flows AS f2
      WHERE f2.company_id = flows.company_id AND (f2.created_at < flows.created_at OR (f2.created_at = flows.created_at AND f2.id <= flows.id))
    )`.execute(db);
  await db.schema
    .createIndex('flows_company_version')
    .on('flows')
    .columns(['company_id', 'version'])
    .unique()
    .where(sql.ref('version'), '>', 0)
    .execute();
  await db.schema
    .createTable('flow_drafts')
    .addColumn('company_id', 'text', (c) => c.primaryKey().references('companies.id').onDelete('cascade'))
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('conversations').addColumn('is_test', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('is_test').execute();
  await db.schema.dropTable('flow_drafts').execute();
  await db.schema.dropIndex('flows_company_version').execute();
  await db.schema.alterTable('flows').dropColumn('published_by').execute();
  await db.schema.alterTable('flows').dropColumn('version').execute();
}
