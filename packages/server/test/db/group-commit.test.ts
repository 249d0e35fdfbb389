import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../src/db/group-commit.js';
import type { BatchTail } from '../../src/db/write-queue.js';
import { onCleanup, tempDataDir } from '../helper.js';

function openDb() {
  const file = join(tempDataDir(), 'gc.sqlite');
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE)');
  onCleanup(() => {
    sqlite.close();
  });
  return { sqlite, file };
}

describe('group commit', () => {
  it('commits every write queued in one event-loop turn as one transaction', async () => {
    const { sqlite } = openDb();
    const writes = new GroupCommit(sqlite);
    const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
    const results = await Promise.all([...Array(100).keys()].map((i) => writes.run(() => insert.run(`v${i}`).lastInsertRowid)));
    expect(results).toEqual([...Array(100).keys()].map((i) => i + 1));
    expect(writes.commits).toBe(1);
    await writes.run(() => insert.run('later'));
    expect(writes.commits).toBe(2);
  });

  it('settles a caller only after its write is visible to another connection', async () => {
    const { sqlite, file } = openDb();
    const reader = new SQLite(file, { readonly: true });
    onCleanup(() => {
      reader.close();
    });
    const writes = new GroupCommit(sqlite);
    const pending = writes.run(() => sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('x'));
    expect(reader.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 0 });
    await pending;
    expect(reader.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
  });

  it('rolls back only the write that failed, and rejects only its caller', async () => {
    const { sqlite } = openDb();
    const writes = new GroupCommit(sqlite);
    const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
    const outcomes = await Promise.allSettled([
      writes.run(() => insert.run('a')),
      writes.run(() => {
        insert.run('b');
        insert.run('a'); // violates UNIQUE: 'b' must roll back with it
      }),
      writes.run(() => insert.run('c')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(sqlite.prepare('SELECT v FROM t ORDER BY v').all()).toEqual([{ v: 'a' }, { v: 'c' }]);
    expect(writes.commits).toBe(1);
  });

  it('commits what is queued on close and refuses writes afterwards', async () => {
    const { sqlite } = openDb();
    const writes = new GroupCommit(sqlite);
    const queued = writes.run(() => sqlite.prepare('INSERT INTO t (v) VALUES (?)').run('last'));
    writes.close();
    await queued;
    expect(sqlite.prepare('SELECT count(*) AS n FROM t').get()).toEqual({ n: 1 });
    await expect(writes.run(() => 1)).rejects.toThrow('The database is closing');
  });

  it('runs what a write asked for after its commit only, once, even when a neighbour fails and the batch runs again', async () => {
    const { sqlite } = openDb();
    const writes = new GroupCommit(sqlite);
    const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
    const learnt: string[] = [];
    const write = (v: string, fail = false) =>
      writes.run(() => {
        insert.run(v);
        writes.afterCommit(() => learnt.push(`${v} (${sqlite.prepare('SELECT count(*) AS n FROM t').pluck().get()} stored)`));
        if (fail) insert.run(v); // violates UNIQUE after asking: its callback must not run
      });
    const outcomes = await Promise.allSettled([write('a'), write('b', true), write('c')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // Once each, after the commit ('a' and 'c' both stored by then), never for the failed write.
    expect(learnt).toEqual(['a (2 stored)', 'c (2 stored)']);
    expect(() => writes.afterCommit(() => undefined)).toThrow('only for use inside a write');
  });
  it('runs a batch tail once before the commit, from what the writes that committed added', async () => {
    const { sqlite } = openDb();
    sqlite.exec('CREATE TABLE total (k TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    const writes = new GroupCommit(sqlite);
    const insert = sqlite.prepare('INSERT INTO t (v) VALUES (?)');
    const upsert = sqlite.prepare('INSERT INTO total (k, n) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET n = n + excluded.n');
    let finished = 0;
    const failures: unknown[] = [];
    const tail: BatchTail<Map<string, number>> = {
      start: () => new Map(),
      finish: (sums) => {
        finished++;
        for (const [k, n] of sums) upsert.run(k, n);
        // The tail's own failure: undone alone, the writes commit.
        if (sums.has('boom')) upsert.run('boom', null); // NOT NULL
        return undefined;
      },
      failed: (error) => failures.push(error),
    };
    const write = (v: string, k: string, n: number, fail = false) =>
      writes.run(() => {
        writes.addToBatch(tail, (sums) => sums.set(k, (sums.get(k) ?? 0) + n));
        insert.run(v);
        if (fail) insert.run(v); // violates UNIQUE: this write adds nothing
      });
    const outcomes = await Promise.allSettled([write('a', 'x', 1), write('b', 'x', 2), write('c', 'y', 10, true), write('d', 'y', 5)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(finished).toBe(1);
    expect(sqlite.prepare('SELECT k, n FROM total ORDER BY k').all()).toEqual([{ k: 'x', n: 3 }, { k: 'y', n: 5 }]);
    expect(writes.commits).toBe(1);

    await Promise.all([write('e', 'x', 1), write('f', 'boom', 1)]);
    expect(failures).toHaveLength(1);
    expect(sqlite.prepare('SELECT v FROM t ORDER BY v').all()).toEqual(['a', 'b', 'd', 'e', 'f'].map((v) => ({ v })));
    expect(sqlite.prepare('SELECT k, n FROM total ORDER BY k').all()).toEqual([{ k: 'x', n: 3 }, { k: 'y', n: 5 }]);
    expect(() => writes.addToBatch(tail, () => {})).toThrow(/inside a write/);
  });
});
