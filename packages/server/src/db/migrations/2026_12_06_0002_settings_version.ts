import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The tables whose rows nodes keep in memory: a change to any of them makes every node read them
 * again. Where a table also holds columns written on the hot path (a webhook endpoint's failure
 * count, an article's votes), only the columns nodes keep count: an UPDATE of the others leaves
 * the version alone, so the single counter row is never a point where busy writes queue.
 */
export const SETTINGS_TABLES: Record<string, readonly string[] | 'all'> = {
  companies: 'all',
  flows: 'all',
  ai_settings: 'all',
  identity_settings: 'all',
  csat_settings: 'all',
  webhook_endpoints: ['url', 'description', 'events', 'secret_sealed', 'enabled', 'disabled_reason', 'previous_secret_sealed', 'previous_secret_expires_at'],
  articles: ['status', 'company_id'],
};

/**
 * PostgreSQL only: a `settings_version` counter that statement triggers bump on every change to
 * a settings table, by any node or tool. Each node polls it (`ExternalChanges`) and reloads the
 * settings it keeps in memory. SQLite needs none: `PRAGMA data_version` tells the one server
 * process when another connection committed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`CREATE TABLE settings_version (id integer PRIMARY KEY, version bigint NOT NULL)`.execute(db);
  await sql`INSERT INTO settings_version (id, version) VALUES (1, 0)`.execute(db);
  await sql`CREATE FUNCTION parley_bump_settings_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE settings_version SET version = version + 1 WHERE id = 1;
      RETURN NULL;
    END $$`.execute(db);
  for (const [table, columns] of Object.entries(SETTINGS_TABLES)) {
    const update = columns === 'all' ? sql`UPDATE` : sql`UPDATE OF ${sql.join(columns.map((column) => sql.id(column)))}`;
    await sql`CREATE TRIGGER ${sql.id(`${table}_bump_settings_version`)} AFTER INSERT OR ${update} OR DELETE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_settings_version()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of Object.keys(SETTINGS_TABLES)) await sql`DROP TRIGGER ${sql.id(`${table}_bump_settings_version`)} ON ${sql.table(table)}`.execute(db);
  await sql`DROP FUNCTION parley_bump_settings_version()`.execute(db);
  await sql`DROP TABLE settings_version`.execute(db);
}
