import type { Kysely } from 'kysely';

/**
 * A rotated webhook signing secret stays valid for a grace period: the previous secret, sealed
 * like the current one, and when it stops being used. Both null when there is none.
 * Going down forgets previous secrets: requests are signed with the current one only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').addColumn('previous_secret_sealed', 'text').execute();
  await db.schema.alterTable('webhook_endpoints').addColumn('previous_secret_expires_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').dropColumn('previous_secret_expires_at').execute();
  await db.schema.alterTable('webhook_endpoints').dropColumn('previous_secret_sealed').execute();
}
