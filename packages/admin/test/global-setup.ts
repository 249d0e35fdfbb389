import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { TestServer } from './server.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function newest(path: string): number {
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let time = info.mtimeMs;
  for (const entry of readdirSync(path)) time = Math.max(time, newest(join(path, entry)));
  return time;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** A real Parley server for the screen tests (which run under happy-dom, so not in-process). */
    serverUrl: string;
  }
}

/**
 * Builds the dashboard when its output is missing or older than its sources (so the browser
 * tests never run a stale build), and starts one real server for the screen tests.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  build();
  const server = await new TestServer().start();
  project.provide('serverUrl', server.url);
  return () => server.dispose();
}

function build(): void {
  const built = join(root, 'dist/index.html');
  const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'index.html')), newest(join(root, 'vite.config.ts')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
}
