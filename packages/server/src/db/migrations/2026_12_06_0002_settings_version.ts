import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** The tables whose rows nodes keep in memory: a change to any of them makes every node read them again. */
export const SETTINGS_TABLES = ['companies', 'flows', 'ai_settings', 'identity_settings', 'csat_settings', 'webhook_endpoints', 'articles'] as const;

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
  for (const table of SETTINGS_TABLES) {
    await sql`CREATE TRIGGER ${sql.id(`${table}_bump_settings_version`)} AFTER INSERT OR UPDATE OR DELETE ON ${sql.table(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION parley_bump_settings_version()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of SETTINGS_TABLES) await sql`DROP TRIGGER ${sql.id(`${table}_bump_settings_version`)} ON ${sql.table(table)}`.execute(db);
  await sql`DROP FUNCTION parley_bump_settings_version()`.execute(db);
  await sql`DROP TABLE settings_version`.execute(db);
}
