import type { DatabaseHandle } from '../db/handle.js';
import { PostgresPassageSearch } from './postgres-search.js';
import { SqlitePassageSearch } from './sqlite-search.js';
import type { PassageSearch } from './passage-search.js';

export type { PassageEntry, PassageSearch } from './passage-search.js';

/** The passage search for the server's database. */
export function passageSearch(database: DatabaseHandle): PassageSearch {
  return database.dialect === 'sqlite' ? new SqlitePassageSearch(database) : new PostgresPassageSearch(database);
}
