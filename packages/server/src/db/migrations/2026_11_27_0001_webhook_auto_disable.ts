import type { Kysely } from 'kysely';

/**
 * Webhook endpoints that fail for good are disabled by themselves: each endpoint counts its
 * given-up deliveries in a row (`consecutive_failures`, reset by any success), and says why it
 * was disabled (`disabled_reason`: 'failing', or null when an admin disabled it or it is on).
 * Going down keeps such endpoints disabled: nothing is sent that an admin has not enabled.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').addColumn('consecutive_failures', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('webhook_endpoints').addColumn('disabled_reason', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').dropColumn('disabled_reason').execute();
  await db.schema.alterTable('webhook_endpoints').dropColumn('consecutive_failures').execute();
}
