import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverVersion } from '../src/core/version.js';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.js';
import { onCleanup, tempDataDir } from './helper.js';

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

/** Runs the built CLI and resolves once its output matches, with the child for further use. */
function run(args: string[], env: Record<string, string>, until: RegExp) {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `pnpm build` first (the root `pnpm test` does)');
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env }, stdio: 'pipe' });
  onCleanup(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let output = '';
  const matched = new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no match for ${until} in: ${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(until);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', () => setTimeout(() => reject(new Error(`exited early: ${output}`)), 50));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, matched, exited, output: () => output };
}

describe('the parley CLI', () => {
  it('parses start options', () => {
    expect(parseCli(['start', '--port', '4000', '--data-dir', 'x', '--host', '0.0.0.0'])).toEqual({
      command: 'start',
      options: { port: 4000, dataDir: 'x', host: '0.0.0.0' },
    });
    expect(parseCli(['--help']).command).toBe('help');
    expect(parseCli([]).command).toBe('help');
    expect(() => parseCli(['start', '--port', 'abc'])).toThrow('--port must be a port number');
    expect(() => parseCli(['launch'])).toThrow('Unknown command "launch"');
  });

  it('prints help', async () => {
    const { matched, exited } = run(['--help'], {}, /Usage:[\s\S]*--data-dir/);
    await matched;
    expect(await exited).toBe(0);
  });

  it('starts with --port and --data-dir, prints its URLs, serves, and stops cleanly on SIGTERM', async () => {
    const dataDir = tempDataDir();
    const { child, matched, exited } = run(['start', '--port', '0', '--data-dir', dataDir], {}, /Health: +(http:\/\/\S+)/);
    const [, healthUrl] = await matched;
    expect(await (await fetch(healthUrl!)).json()).toEqual({ status: 'ok', version: serverVersion() });
    const start = (await (await fetch(healthUrl!.replace('/health', '/api/chatbot'))).json()) as { chatbot_session: string };
    expect(start.chatbot_session).toBeTruthy();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(existsSync(join(dataDir, 'parley.sqlite'))).toBe(true);
  });

  it('honours PORT and DATA_DIR from the environment', async () => {
    const dataDir = tempDataDir();
    const { child, matched, exited } = run(['start'], { PORT: '0', DATA_DIR: dataDir }, /Health: +(http:\/\/\S+)/);
    const [, healthUrl] = await matched;
    expect((await fetch(healthUrl!)).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(join(dataDir, 'parley.sqlite'))).toBe(true);
  });

  it('refuses a bad flow file with a message naming the problem', async () => {
    const dataDir = tempDataDir();
    const flow = join(dataDir, 'flow.json');
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(flow, JSON.stringify({ id: 'x', name: 'X', version: 1, start: 'a', steps: { a: { type: 'say', text: 'hi', next: 'b' } } })),
    );
    const { matched, exited } = run(['start', '--port', '0', '--data-dir', dataDir, '--flow', flow], {}, /steps\.a\.next: leads to "b", which is not a step/);
    await matched;
    expect(await exited).toBe(1);
  });
});
