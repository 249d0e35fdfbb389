import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase, type OpenDatabase } from '../../src/db/database.js';
import { param, prepareQuery, prepareSqliteQuery } from '../../src/db/prepared.js';
import type { DatabaseHandle } from '../../src/db/handle.js';
import { GroupCommit } from '../../src/db/group-commit.js';
import { PostgresGroupCommit } from '../../src/db/postgres-group-commit.js';
import { openPostgres } from '../../src/db/postgres.js';
import { createTestDatabase, requirePostgres } from './postgres-helper.js';

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

const hasPostgres = await requirePostgres();

describe('prepareQuery on either database', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    while (cleanups.length) await cleanups.pop()!();
  });

  async function sqliteHandle(): Promise<DatabaseHandle> {
    const dir = mkdtempSync(join(tmpdir(), 'parley-prepared-'));
    const { db, sqlite } = await openDatabase(join(dir, 'p.db'), { synchronous: 'NORMAL', externalCheckpoints: false });
    cleanups.push(async () => {
      await db.destroy();
      rmSync(dir, { recursive: true, force: true });
    });
    return { dialect: 'sqlite', db, sqlite };
  }

  async function postgresHandle(): Promise<DatabaseHandle> {
    const database = await createTestDatabase('prepared');
    const { db, pool } = await openPostgres(database.url);
    cleanups.push(async () => {
      await db.destroy();
      await database.drop();
    });
    return { dialect: 'postgres', db, pool };
  }

  const dialects = [['sqlite', sqliteHandle] as const, ...(hasPostgres ? [['postgres', postgresHandle] as const] : [])];

  it.each(dialects)('on %s: binds named parameters beside constants, awaited or yielded inside a write', async (_name, open) => {
    const database = await open();
    const { db } = database;
    const insert = prepareQuery(database, { id: param<string>(), name: param<string>(), at: param<string>() }, (p) =>
      db.insertInto('companies').values({ id: p.id, name: p.name, site_key: p.id, api_key_hash: null, created_at: p.at }),
    );
    const odd = prepareQuery(database, { id: param<string>() }, (p) =>
      db
        .selectFrom('companies')
        .select([sql<string>`'a :id or ? or $1'`.as('text'), 'name'])
        .where('is_default', '=', 0)
        .where('id', '=', p.id)
        .where('site_key', '=', p.id),
    );
    expect(await insert.run({ id: 'c1', name: 'Acme', at: '10:30' })).toEqual({ changes: 1 });
    // Inside a write: the same steps, driven by the write queue of the dialect.
    const writes = database.dialect === 'sqlite' ? new GroupCommit(database.sqlite) : new PostgresGroupCommit(database.pool);
    const seen = await writes.run(function* () {
      yield* insert.run({ id: 'c2', name: 'Globex', at: '10:31' });
      return yield* odd.get({ id: 'c2' });
    });
    expect(seen).toEqual({ text: 'a :id or ? or $1', name: 'Globex' });
    expect(await odd.get({ id: 'c1' })).toEqual({ text: 'a :id or ? or $1', name: 'Acme' });
    expect(await odd.get({ id: 'nobody' })).toBeUndefined();
    const count = prepareQuery(database, {}, () => db.selectFrom('companies').select((eb) => eb.fn.countAll<number>().as('n')).where('is_default', '=', 0));
    expect(await count.get({})).toEqual({ n: 2 });
    await writes.close();
  });
});
