import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleBuild } from '../../bench/lib/stale-build.js';
import { tempDataDir } from '../helper.js';

/** Writes `file` under `root` with its modification time `at` seconds after the epoch. */
function put(root: string, file: string, at: number): void {
  const path = join(root, file);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  utimesSync(path, at, at);
}

describe('the benches and drills check the build they run', () => {
  it('say when dist is missing, or older than a file of src, and nothing when it is current', () => {
    const root = `${tempDataDir()}/`;
    put(root, 'src/db/write-queue.ts', 1_000);
    expect(staleBuild(root)).toMatch(/dist is missing/);
    put(root, 'dist/index.js', 2_000);
    expect(staleBuild(root)).toBeUndefined();
    put(root, 'src/insights/recorder.ts', 3_000);
    expect(staleBuild(root)).toMatch(/src changed after the last build \(src\/insights\/recorder\.ts\)/);
    put(root, 'dist/insights/recorder.js', 4_000);
    expect(staleBuild(root)).toBeUndefined();
  });
});
