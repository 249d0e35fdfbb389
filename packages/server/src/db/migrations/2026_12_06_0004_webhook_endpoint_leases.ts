import type { Kysely } from 'kysely';

/**
 * The lease a node takes on a webhook endpoint before it sends the endpoint's oldest pending
 * delivery, so several nodes on one PostgreSQL database never send one delivery twice and each
 * endpoint still gets its events in order (`webhooks/endpoint-leases.ts`): who holds it
 * (`leased_by`, a node id) and until when (`lease_until`, epoch milliseconds by the database's
 * clock). Both null when nobody holds it. SQLite (one process) adds the columns and never sets
 * them. The same statements run on both dialects: `bigint` is an integer column on SQLite too.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').addColumn('leased_by', 'text').execute();
  await db.schema.alterTable('webhook_endpoints').addColumn('lease_until', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_endpoints').dropColumn('lease_until').execute();
  await db.schema.alterTable('webhook_endpoints').dropColumn('leased_by').execute();
}
