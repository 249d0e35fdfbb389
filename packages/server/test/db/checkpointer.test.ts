import { statSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { GroupCommit } from '../../src/db/group-commit.js';
import { startCheckpointer } from '../../src/db/checkpointer.js';
import { onCleanup, tempDataDir } from '../helper.js';

describe('the background checkpointer', () => {
  it('keeps the WAL bounded while writes never stop', async () => {
    const file = join(tempDataDir(), 'wal.sqlite');
    const { db, sqlite } = await openDatabase(file, { synchronous: 'NORMAL', externalCheckpoints: true });
    onCleanup(() => db.destroy());
    sqlite.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT NOT NULL, v BLOB NOT NULL); CREATE INDEX t_k ON t (k)');
    const checkpointer = startCheckpointer(file, { intervalMs: 20, walLimitBytes: 2 * 1024 * 1024 }, (message) => {
      throw new Error(message);
    });
    onCleanup(() => checkpointer.stop());
    // The worker loads its module first (through tsx here): writes start once it checkpoints.
    await checkpointer.ready;
    const writes = new GroupCommit(sqlite);
    writes.beforeBatch = () => checkpointer.catchUp(sqlite);
    const insert = sqlite.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const walSize = () => statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;

    // Write without a pause (random keys spread the index over many pages) until 120 MB went
    // through, or six seconds passed on a slow machine.
    let written = 0;
    let largest = 0;
    const until = performance.now() + 6000;
    while (written < 120 * 1024 * 1024 && performance.now() < until) {
      const batch = [];
      for (let i = 0; i < 50; i++) {
        const value = randomBytes(1500);
        written += value.length;
        batch.push(writes.run(() => insert.run(randomBytes(12).toString('hex'), value)));
      }
      await Promise.all(batch);
      largest = Math.max(largest, walSize());
    }

    expect(written).toBeGreaterThan(40 * 1024 * 1024);
    // A WAL that never starts over holds at least everything written (429 MB here without the
    // writer's catch-up); a bounded one stays near its limit, far below that.
    expect(largest).toBeLessThan(written / 2);
    expect(writes.commits).toBeGreaterThan(100);
  });
});
