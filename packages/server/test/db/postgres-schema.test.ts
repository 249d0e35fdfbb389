import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { openPostgres, type OpenPostgres } from '../../src/db/postgres.js';
import { onCleanup, tempDataDir } from '../helper.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './postgres-helper.js';

/** What the stores rely on, comparable across dialects. */
interface Schema {
  /** table -> column -> "type null|not null" (integer for any integer width, text for any string). */
  tables: Record<string, Record<string, string>>;
  /** index name -> "table(columns) unique? partial?" (constraints' own indexes left out). */
  indexes: Record<string, string>;
  /** "table.column -> table.column on delete ..." */
  foreignKeys: string[];
}

/**
 * Objects only one side has, and why. Everything else must match, table for table, column for
 * column.
 */
const SQLITE_ONLY_TABLES: Record<string, string> = {
  sqlite_sequence: 'SQLite bookkeeping for AUTOINCREMENT; PostgreSQL identity columns keep their own sequence',
  search_state: 'the watermark of the batched FTS5 indexer; the PostgreSQL GIN index follows each write',
  messages_fts: 'FTS5 over message text; PostgreSQL has the expression index messages_text_search',
  article_fts: 'FTS5 virtual table; PostgreSQL has a plain article_fts table, compared on its own below',
};
const SQLITE_ONLY_TABLE_PREFIXES = ['messages_fts_', 'article_fts_']; // FTS5 shadow tables
const POSTGRES_ONLY_TABLES: Record<string, string> = {
  settings_version: 'bumped by triggers so every node reloads the settings it keeps; SQLite asks PRAGMA data_version',
  article_fts: 'stands for the FTS5 table of the same name, compared on its own below',
};
const POSTGRES_ONLY_INDEXES: Record<string, string> = {
  messages_conversation_client_id: 'resends that reach another node are caught in the database; one SQLite process answers them from memory',
  messages_text_search: 'stands for messages_fts',
  article_fts_document: 'stands for article_fts (FTS5)',
  article_fts_company: 'stands for article_fts (FTS5), whose company column keeps companies apart',
};

function sqliteOnlyTable(name: string): boolean {
  return name in SQLITE_ONLY_TABLES || SQLITE_ONLY_TABLE_PREFIXES.some((prefix) => name.startsWith(prefix));
}

function typeClass(declared: string): string {
  const t = declared.toLowerCase().replace(/\(.*\)$/, '').trim();
  if (t === 'integer' || t === 'bigint' || t === 'smallint') return 'integer';
  if (t === 'real' || t === 'double precision') return 'real';
  if (t === 'text' || t === 'varchar' || t === 'character varying') return 'text';
  if (t === 'blob' || t === 'bytea') return 'bytes';
  return t;
}

async function sqliteSchema(): Promise<Schema> {
  const { db, sqlite } = await openDatabase(join(tempDataDir(), 'parley.sqlite'), { synchronous: 'NORMAL', externalCheckpoints: false });
  onCleanup(() => db.destroy());
  const schema: Schema = { tables: {}, indexes: {}, foreignKeys: [] };
  const names = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>;
  for (const { name } of names) {
    if (sqliteOnlyTable(name)) continue;
    const columns = sqlite.prepare(`PRAGMA table_info("${name}")`).all() as Array<{ name: string; type: string; notnull: number; pk: number }>;
    // A primary key column is never null in practice (PostgreSQL enforces it; SQLite's rowid does).
    schema.tables[name] = Object.fromEntries(
      columns.map((c) => [c.name, `${typeClass(c.type)} ${c.notnull || c.pk ? 'not null' : 'null'}`]),
    );
    const indexes = sqlite.prepare(`PRAGMA index_list("${name}")`).all() as Array<{ name: string; unique: number; origin: string; partial: number }>;
    for (const index of indexes) {
      if (index.origin !== 'c') continue; // pk and unique constraints' own indexes
      const cols = (sqlite.prepare(`PRAGMA index_info("${index.name}")`).all() as Array<{ name: string }>).map((c) => c.name);
      schema.indexes[index.name] = `${name}(${cols.join(', ')})${index.unique ? ' unique' : ''}${index.partial ? ' partial' : ''}`;
    }
    const keys = sqlite.prepare(`PRAGMA foreign_key_list("${name}")`).all() as Array<{ from: string; table: string; to: string; on_delete: string }>;
    for (const key of keys) schema.foreignKeys.push(`${name}.${key.from} -> ${key.table}.${key.to} on delete ${key.on_delete.toLowerCase()}`);
  }
  schema.foreignKeys.sort();
  return schema;
}

const ON_DELETE: Record<string, string> = { a: 'no action', r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };

async function postgresSchema(open: OpenPostgres): Promise<Schema> {
  const schema: Schema = { tables: {}, indexes: {}, foreignKeys: [] };
  const columns = await open.pool.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
    `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  for (const c of columns.rows) {
    if (c.table_name in POSTGRES_ONLY_TABLES) continue;
    (schema.tables[c.table_name] ??= {})[c.column_name] = `${typeClass(c.data_type)} ${c.is_nullable === 'YES' ? 'null' : 'not null'}`;
  }
  const indexes = await open.pool.query<{ name: string; table: string; unique: boolean; columns: string[]; partial: boolean }>(
    `SELECT i.relname AS name, t.relname AS table, ix.indisunique AS unique, ix.indpred IS NOT NULL AS partial,
       array(SELECT a.attname::text FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord) AS columns
     FROM pg_index ix
     JOIN pg_class i ON i.oid = ix.indexrelid
     JOIN pg_class t ON t.oid = ix.indrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid)`,
  );
  for (const index of indexes.rows) {
    if (index.name in POSTGRES_ONLY_INDEXES) continue;
    schema.indexes[index.name] = `${index.table}(${index.columns.join(', ')})${index.unique ? ' unique' : ''}${index.partial ? ' partial' : ''}`;
  }
  const keys = await open.pool.query<{ table: string; column: string; ref_table: string; ref_column: string; on_delete: string }>(
    `SELECT t.relname AS table, a.attname AS column, rt.relname AS ref_table, ra.attname AS ref_column, c.confdeltype AS on_delete
     FROM pg_constraint c
     JOIN pg_class t ON t.oid = c.conrelid
     JOIN pg_class rt ON rt.oid = c.confrelid
     JOIN pg_namespace n ON n.oid = t.relnamespace
     JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
     JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = c.confkey[1]
     WHERE c.contype = 'f' AND n.nspname = 'public'`,
  );
  for (const key of keys.rows) {
    if (key.table in POSTGRES_ONLY_TABLES) continue;
    schema.foreignKeys.push(`${key.table}.${key.column} -> ${key.ref_table}.${key.ref_column} on delete ${ON_DELETE[key.on_delete]}`);
  }
  schema.foreignKeys.sort();
  return schema;
}

/** Every way two schemas differ, one line each; empty when they match. */
function differences(sqlite: Schema, postgres: Schema): string[] {
  const out: string[] = [];
  const tables = new Set([...Object.keys(sqlite.tables), ...Object.keys(postgres.tables)]);
  for (const table of [...tables].sort()) {
    const a = sqlite.tables[table];
    const b = postgres.tables[table];
    if (!a || !b) {
      out.push(`table ${table} only in ${a ? 'SQLite' : 'PostgreSQL'}`);
      continue;
    }
    for (const column of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (a[column] === undefined || b[column] === undefined) out.push(`column ${table}.${column} only in ${a[column] ? 'SQLite' : 'PostgreSQL'}`);
      else if (a[column] !== b[column]) out.push(`column ${table}.${column}: SQLite ${a[column]}, PostgreSQL ${b[column]}`);
    }
  }
  for (const index of new Set([...Object.keys(sqlite.indexes), ...Object.keys(postgres.indexes)])) {
    if (sqlite.indexes[index] !== postgres.indexes[index]) {
      out.push(`index ${index}: SQLite ${sqlite.indexes[index] ?? 'none'}, PostgreSQL ${postgres.indexes[index] ?? 'none'}`);
    }
  }
  for (const key of sqlite.foreignKeys) if (!postgres.foreignKeys.includes(key)) out.push(`foreign key ${key} only in SQLite`);
  for (const key of postgres.foreignKeys) if (!sqlite.foreignKeys.includes(key)) out.push(`foreign key ${key} only in PostgreSQL`);
  return out;
}

const hasPostgres = await requirePostgres();

describe.skipIf(!hasPostgres)('the PostgreSQL baseline', () => {
  let database: TestDatabase;
  let postgres: OpenPostgres;
  let fromSqlite: Schema;
  let fromPostgres: Schema;

  beforeAll(async () => {
    database = await createTestDatabase('schema');
    postgres = await openPostgres(database.url);
    fromSqlite = await sqliteSchema();
    fromPostgres = await postgresSchema(postgres);
  });

  afterAll(async () => {
    await postgres?.db.destroy();
    await database?.drop();
  });

  it('creates what the SQLite history arrives at: tables, columns, nullability, indexes and foreign keys', () => {
    expect(Object.keys(fromSqlite.tables).length).toBeGreaterThan(20);
    expect(differences(fromSqlite, fromPostgres)).toEqual([]);
  });

  it('would notice a column missing on either side', () => {
    const withoutOnPostgres = structuredClone(fromPostgres);
    delete withoutOnPostgres.tables.messages!.client_id;
    expect(differences(fromSqlite, withoutOnPostgres)).toEqual(['column messages.client_id only in SQLite']);
    const withoutOnSqlite = structuredClone(fromSqlite);
    delete withoutOnSqlite.tables.conversations!.is_test;
    expect(differences(withoutOnSqlite, fromPostgres)).toEqual(['column conversations.is_test only in PostgreSQL']);
  });

  it('keeps the articles search under the FTS5 table name and columns, keyed by rowid', async () => {
    const fts = await postgres.pool.query<{ column_name: string }>(
      "SELECT column_name FROM information_schema.columns WHERE table_name = 'article_fts' ORDER BY ordinal_position",
    );
    expect(fts.rows.map((r) => r.column_name)).toEqual(['rowid', 'company', 'title', 'heading', 'body', 'document']);
  });

  it('reads bigint back as a number, as SQLite rows have it', async () => {
    const { rows } = await postgres.pool.query<{ n: unknown; ms: unknown }>('SELECT count(*) AS n, 1764840000000::bigint AS ms FROM messages');
    expect(rows[0]).toEqual({ n: 0, ms: 1764840000000 });
  });
});
