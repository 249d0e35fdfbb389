import { Migrator, type Kysely, type MigrationResultSet } from 'kysely';
import type { Database } from '../db/database.js';
import { migrationProvider } from '../db/migrations/index.js';

/** One migration this version knows, and when it ran on this database (undefined: pending). */
export interface MigrationState {
  name: string;
  executedAt?: Date;
}

function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({ db, provider: migrationProvider });
}

/** Every migration this version knows, oldest first, with when each ran. */
export async function migrationStatus(db: Kysely<Database>): Promise<MigrationState[]> {
  const all = await migrator(db).getMigrations();
  return all.map((m) => (m.executedAt ? { name: m.name, executedAt: m.executedAt } : { name: m.name }));
}

/** Runs the pending migrations; throws with the failing one's name. Returns what ran. */
export async function runMigrations(db: Kysely<Database>): Promise<string[]> {
  const { error, results }: MigrationResultSet = await migrator(db).migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${cause}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
