import { existsSync } from 'node:fs';
import { chmod, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { finishBackupCopy, openExistingFile } from '../db/connection.js';

/** What `backupDatabase` copied. */
export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
}

/** The database file of a data folder. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, 'parley.sqlite');
}

/**
 * Copies the database of `dataDir` to `target` through SQLite's online backup API, while a server
 * keeps writing to it. The copy is one consistent snapshot: every page is read inside one read
 * transaction (in WAL mode that never blocks the server's writes), written to a temporary file
 * beside `target`, checked, and only then renamed into place, so a half-written backup never
 * carries the final name.
 *
 * @example await backupDatabase('./data', '/backups/parley-2026-12-04.sqlite')
 */
export async function backupDatabase(dataDir: string, target: string): Promise<BackupResult> {
  const source = databaseFile(dataDir);
  if (!existsSync(source)) throw new Error(`No database at ${source}: is --data-dir (DATA_DIR) right?`);
  const file = resolve(target);
  if (file === resolve(source)) throw new Error('The backup cannot overwrite the live database');
  const partial = join(dirname(file), `.${Date.now()}.parley-backup.partial`);
  const sqlite = openExistingFile(source, { readonly: true });
  try {
    // The first step only measures; returning the largest count from the progress handler then
    // copies every page in one step, so the snapshot cannot be restarted by the server's writes.
    const progress = await sqlite.backup(partial, { progress: () => 0x7fffffff });
    finishBackupCopy(partial);
    await chmod(partial, 0o600);
    await rename(partial, file);
    const { size } = await stat(file);
    return { file, bytes: size, pages: progress.totalPages };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    sqlite.close();
  }
}
