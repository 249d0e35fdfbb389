import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { TestServer } from './server.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(dir: string): number {
  let time = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    time = Math.max(time, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return time;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** A real Parley server for the element tests (which run under happy-dom, so not in-process). */
    serverUrl: string;
  }
}

/**
 * Builds the widget when its output is missing or older than its sources (so the size check and
 * the browser test never measure a stale build), and starts one real server for element tests.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const built = join(root, 'dist/cdn/widget.js');
  if (!existsSync(built) || statSync(built).mtimeMs < newest(join(root, 'src'))) {
    execFileSync('node', ['scripts/build.js'], { cwd: root, stdio: 'inherit' });
  }
  const server = await new TestServer().start();
  project.provide('serverUrl', server.url);
  return () => server.dispose();
}
