import { existsSync } from 'node:fs';
import { Kysely, SqliteDialect } from 'kysely';
import { openExistingFile } from '../db/connection.js';
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
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: openExistingFile(file) }) });
}
