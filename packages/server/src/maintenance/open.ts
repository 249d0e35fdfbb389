import { existsSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../db/database.js';
import { databaseFile } from './backup.js';

/**
 * Opens the database of a data folder for a CLI command, beside a server that may be running on
 * it, without migrating it (`parley migrate status` must see it as it is). Close it with
 * `db.destroy()`.
 */
export function openExisting(dataDir: string): Kysely<Database> {
  const file = databaseFile(dataDir);
  if (!existsSync(file)) throw new Error(`No database at ${file}: is --data-dir (DATA_DIR) right?`);
  const sqlite = new SQLite(file, { fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}
