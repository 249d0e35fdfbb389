import SQLite from 'better-sqlite3';

/**
 * Opens an existing database file beside a server that may be writing to it (for CLI commands):
 * waits up to 5 s for the server's locks instead of failing at once, and, when writing, enforces
 * foreign keys like the server does. Never migrates.
 */
export function openExistingFile(file: string, options: { readonly?: boolean } = {}): SQLite.Database {
  const sqlite = new SQLite(file, { readonly: options.readonly ?? false, fileMustExist: true });
  sqlite.pragma('busy_timeout = 5000');
  if (!options.readonly) sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

/**
 * Makes a freshly copied database file a finished backup: checks its integrity (throws when the
 * check fails) and switches it out of WAL mode, so it is one self-contained file with no -wal
 * beside it to forget.
 */
export function finishBackupCopy(file: string): void {
  const copy = new SQLite(file, { fileMustExist: true });
  try {
    const check = copy.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`The copy failed its integrity check: ${String(check)}`);
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** Copies the whole WAL into the database file and empties it (before closing the server's connection). */
export function truncateWal(sqlite: SQLite.Database): void {
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
}
