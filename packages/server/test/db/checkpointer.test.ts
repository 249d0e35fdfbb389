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
    const writes = new GroupCommit(sqlite);
    writes.beforeBatch = () => checkpointer.catchUp(sqlite);
    const insert = sqlite.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    const walSize = () => statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;

    // Write for two seconds without a pause: random keys spread the index over many pages.
    let written = 0;
    let largest = 0;
    const until = performance.now() + 2000;
    while (performance.now() < until) {
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
    // Without RESTART checkpoints the WAL holds everything written (and more: index pages).
    expect(largest).toBeLessThan(16 * 1024 * 1024);
    expect(writes.commits).toBeGreaterThan(100);
  });
});
