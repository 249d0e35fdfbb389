import type { Kysely } from 'kysely';

/**
 * Page attributes (`Parley.setAttributes`): a small JSON object per conversation, capped at 4 KB
 * by the protocol. A column rather than a key-value table: it is read and written whole, with the
 * conversation, and never queried by key.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('attributes', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('attributes').execute();
}
