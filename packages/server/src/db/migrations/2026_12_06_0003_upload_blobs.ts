import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Uploaded images' bytes in the database, so that on PostgreSQL every node behind the load
 * balancer serves what any node took in, with no shared disk. One row per upload, removed with it
 * (ON DELETE CASCADE: erasing a conversation removes its bytes in the same transaction).
 *
 * Written once for both dialects; only the binary type differs (`bytea` on PostgreSQL, `blob` on
 * SQLite), asked of the adapter. SQLite has the table for one schema on both but leaves it empty:
 * its uploads stay files under the data folder, as before.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('upload_blobs')
    .addColumn('upload_id', 'text', (c) => c.primaryKey().references('uploads.id').onDelete('cascade'))
    .addColumn('bytes', postgres ? 'bytea' : 'blob', (c) => c.notNull())
    .execute();
  // Images arrive compressed (PNG, JPEG, GIF, WebP): keep them out of line without trying to
  // compress them again.
  if (postgres) await sql`ALTER TABLE upload_blobs ALTER COLUMN bytes SET STORAGE EXTERNAL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('upload_blobs').execute();
}
