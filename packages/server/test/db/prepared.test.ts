import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type OpenDatabase } from '../../src/db/database.js';
import { param, prepareSqliteQuery } from '../../src/db/prepared.js';

describe('prepareSqliteQuery', () => {
  let dir: string;
  let open: OpenDatabase;
  afterEach(async () => {
    await open.db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('compiles a typed Kysely query once and binds named parameters beside its constants', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-prepared-'));
    open = await openDatabase(join(dir, 'p.db'), { synchronous: 'NORMAL', externalCheckpoints: false });
    const { db, sqlite } = open;
    const now = new Date().toISOString();
    const insert = prepareSqliteQuery(sqlite, { id: param<string>(), name: param<string>(), at: param<string>() }, (p) =>
      db.insertInto('companies').values({ id: p.id, name: p.name, site_key: p.id, api_key_hash: null, created_at: p.at }),
    );
    expect(insert.run({ id: 'c1', name: 'Acme', at: now }).changes).toBe(1);
    expect(insert.run({ id: 'c2', name: 'Globex', at: now }).changes).toBe(1);
    const byName = prepareSqliteQuery(sqlite, { name: param<string>() }, (p) =>
      db.selectFrom('companies').select(['id', 'name']).where('name', '=', p.name).where('is_default', '=', 0),
    );
    expect(byName.sql).toContain(':name');
    expect(byName.get({ name: 'Globex' })).toEqual({ id: 'c2', name: 'Globex' });
    expect(byName.get({ name: 'Nobody' })).toBeUndefined();
    const all = prepareSqliteQuery(sqlite, {}, () => db.selectFrom('companies').select('id').orderBy('id'));
    expect(all.all({}).map((row) => row.id)).toEqual(expect.arrayContaining(['c1', 'c2']));
  });

  it('binds a parameter used twice, between constants, and leaves quoted text alone', async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-prepared-'));
    open = await openDatabase(join(dir, 'p.db'), { synchronous: 'NORMAL', externalCheckpoints: false });
    const { db, sqlite } = open;
    const insert = prepareSqliteQuery(sqlite, { id: param<string>(), at: param<string>() }, (p) =>
      db.insertInto('companies').values({ id: p.id, name: 'Acme', site_key: p.id, api_key_hash: null, created_at: p.at }),
    );
    insert.run({ id: 'c1', at: '10:30' });
    const odd = prepareSqliteQuery(sqlite, { id: param<string>() }, (p) =>
      db
        .selectFrom('companies')
        .select([sql<string>`'a :id or ?'`.as('text'), 'site_key'])
        .where('name', '=', 'Acme')
        .where('id', '=', p.id)
        .where('site_key', '=', p.id),
    );
    expect(odd.get({ id: 'c1' })).toEqual({ text: 'a :id or ?', site_key: 'c1' });
    expect(odd.get({ id: 'c2' })).toBeUndefined();
  });
});
