import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import type { Kysely } from 'kysely';
import type { Database } from './tables/index.js';

/** The SQL dialects Parley stores in: SQLite by default, PostgreSQL for running on many nodes. */
export type Dialect = 'sqlite' | 'postgres';

/**
 * The server's database, whichever it is: Kysely for queries off the hot path (the same on both),
 * and the connection that prepared statements and the write queue use.
 */
export type DatabaseHandle =
  | { readonly dialect: 'sqlite'; readonly db: Kysely<Database>; readonly sqlite: SQLite.Database }
  | { readonly dialect: 'postgres'; readonly db: Kysely<Database>; readonly pool: pg.Pool };
