import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import type { Database } from './tables/index.js';
import { migrationProvider } from './migrations/index.js';

export type { Database } from './tables/index.js';

/** The open database: Kysely for queries, and the raw connection for the group-commit write path. */
export interface OpenDatabase {
  db: Kysely<Database>;
  /** The one SQLite connection. Only the write queue and prepared hot-path statements use it directly. */
  sqlite: SQLite.Database;
  file: string;
}

export interface OpenDatabaseOptions {
  synchronous: 'NORMAL' | 'FULL';
  /** Leave WAL checkpoints to a background checkpointer instead of the writing connection. */
  externalCheckpoints: boolean;
}

/**
 * Opens (creating if needed) the SQLite file in WAL mode and migrates it to the latest version.
 * Throws with the failing migration's name when a migration fails.
 */
export async function openDatabase(file: string, options: OpenDatabaseOptions): Promise<OpenDatabase> {
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // It holds password hashes and sealed secrets: readable by its owner only (SQLite gives the
  // -wal and -shm files the same mode).
  chmodSync(file, 0o600);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${options.synchronous}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('temp_store = MEMORY');
  sqlite.pragma('cache_size = -16000');
  if (options.externalCheckpoints) sqlite.pragma('wal_autocheckpoint = 0');
  // When the WAL starts over, its file is cut back to this size instead of keeping its peak.
  sqlite.pragma('journal_size_limit = 67108864');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return { db, sqlite, file };
}

/** Runs every pending migration and reports the first failure. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const cause = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`Database migration ${failed?.migrationName ?? ''} failed: ${cause}`);
  }
}
