import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParleyOptions } from '../../src/config.js';
import { onCleanup } from '../helper.js';

const SERVER_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

/** A node running in a child process: its address, and a way to kill it as a crash would. */
export interface NodeProcess {
  http: string;
  child: ChildProcess;
  /** SIGKILL: no hook runs, nothing is released; resolves once the process is gone. */
  kill(): Promise<void>;
}

/**
 * Starts a Parley node in a process of its own (through tsx, from the sources) with `options`,
 * and waits until it listens. It is killed after the test if still running.
 */
export async function startNodeProcess(options: ParleyOptions, timeoutMs = 30_000): Promise<NodeProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(SERVER_ROOT, 'test/support/node-main.ts')], {
    cwd: SERVER_ROOT,
    env: { ...process.env, PARLEY_NODE_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(child, 'exit');
  onCleanup(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const http = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`the node process did not start in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = stdout.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { http: string }).http);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the node process exited (${code}) before listening: ${stderr}`));
    });
  });
  return {
    http,
    child,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
