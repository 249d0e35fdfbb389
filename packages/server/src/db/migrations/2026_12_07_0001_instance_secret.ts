import { sql, type Kysely } from 'kysely';

/**
 * The instance secret kept in the database, for nodes started without `PARLEY_SECRET`: every node
 * signs and reads tokens and sealed settings with the one the first node stored. One row at most.
 *
 * Written once for both dialects. SQLite has the table for one schema on both but leaves it
 * empty: its one process keeps the secret in `<dataDir>/secret`, as before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('instance_secret')
    .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('instance_secret').execute();
}
