import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExternalChanges, sqliteDataVersion } from '../../src/db/external-changes.js';
import { onCleanup, tempDataDir } from '../helper.js';

function open(file: string) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  onCleanup(() => void db.close());
  return db;
}

/** Two connections to one new database with a table, and a watch on the first. */
function setUp() {
  const file = join(tempDataDir(), 'x.sqlite');
  const own = open(file);
  const other = open(file);
  own.exec('CREATE TABLE t (v INTEGER)');
  const errors: unknown[] = [];
  const watch = new ExternalChanges(sqliteDataVersion(own), 60_000, (error) => errors.push(error));
  onCleanup(() => watch.stop());
  return { own, other, errors, watch };
}

describe('ExternalChanges', () => {
  it('reloads after another connection commits, never after its own writes', async () => {
    const { own, other, errors, watch } = setUp();
    const reloads: string[] = [];
    watch.onChange(async () => void reloads.push('first'));
    watch.onChange(async () => void reloads.push('second'));

    own.prepare('INSERT INTO t VALUES (1)').run();
    await watch.checkNow();
    expect(reloads).toEqual([]);
    // A checkpoint by another connection (the server's checkpoint worker) is not a change.
    other.pragma('wal_checkpoint(PASSIVE)');
    await watch.checkNow();
    expect(reloads).toEqual([]);

    other.prepare('INSERT INTO t VALUES (2)').run();
    await watch.checkNow();
    expect(reloads).toEqual(['first', 'second']);
    // Nothing new since: no second reload.
    await watch.checkNow();
    expect(reloads).toHaveLength(2);
    expect(errors).toEqual([]);
  });

  it('runs the reload once more for a change made while it ran, and reports a failing listener', async () => {
    const { other, errors, watch } = setUp();
    let runs = 0;
    watch.onChange(async () => {
      runs++;
      if (runs === 1) {
        other.prepare('INSERT INTO t VALUES (3)').run();
        void watch.checkNow();
      }
    });
    watch.onChange(async () => {
      throw new Error('cache broke');
    });
    other.prepare('INSERT INTO t VALUES (2)').run();
    await watch.checkNow();
    expect(runs).toBe(2);
    expect(errors.map((e) => (e as Error).message)).toEqual(['cache broke', 'cache broke']);
  });
});
