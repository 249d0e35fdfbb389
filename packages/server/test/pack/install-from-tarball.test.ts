import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The release story of docs/deployment.md, end to end: pack the four packages as they would be
 * published, install the tarballs with npm into an empty folder, and start the server with
 * `npx @parley/server start`. The npm registry supplies the third-party dependencies.
 *
 * better-sqlite3 compiles from source on install (about 90 s here), so by default the test pins it
 * to the workspace's version and reuses the workspace's compiled addon; PARLEY_PACK_TEST_FULL=1
 * lets npm build it like a real install does. PARLEY_SKIP_PACK_TEST=1 skips the test (offline).
 */
const packages = fileURLToPath(new URL('../../..', import.meta.url));
const full = process.env.PARLEY_PACK_TEST_FULL === '1';
const work = mkdtempSync(join(tmpdir(), 'parley-pack-'));
let server: ChildProcess | undefined;

afterAll(async () => {
  // npx runs the bin under a shell: the whole process group it leads is this test's to stop.
  if (server?.pid && server.exitCode === null) {
    process.kill(-server.pid, 'SIGTERM');
    await new Promise((resolve) => server!.once('exit', resolve));
  }
  rmSync(work, { recursive: true, force: true });
});

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): string {
  return execFileSync(command, args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe.skipIf(process.env.PARLEY_SKIP_PACK_TEST === '1')('the server package', () => {
  it('installs from packed tarballs into an empty folder and starts with `npx @parley/server start`', { timeout: 240_000 }, async () => {
    for (const name of ['protocol', 'widget', 'admin', 'server']) {
      expect(existsSync(join(packages, name, 'dist')), `packages/${name}/dist: run "pnpm build" first`).toBe(true);
    }
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    for (const name of ['protocol', 'widget', 'admin', 'server']) run('pnpm', ['pack', '--pack-destination', tarballs], join(packages, name));
    const files = readdirSync(tarballs).sort();
    expect(files).toEqual(['parley-admin-0.1.0.tgz', 'parley-protocol-0.1.0.tgz', 'parley-server-0.1.0.tgz', 'parley-widget-0.1.0.tgz']);

    // The server's tarball names its workspace dependencies by version, like any published package.
    const manifest = JSON.parse(run('tar', ['-xzOf', join(tarballs, 'parley-server-0.1.0.tgz'), 'package/package.json'], work)) as {
      dependencies: Record<string, string>;
      publishConfig?: { access?: string };
    };
    expect(manifest.dependencies).toMatchObject({ '@parley/protocol': '0.1.0', '@parley/widget': '0.1.0', '@parley/admin': '0.1.0' });
    expect(JSON.stringify(manifest.dependencies)).not.toContain('workspace:');
    expect(manifest.publishConfig?.access).toBe('public');

    const site = join(work, 'site');
    mkdirSync(site);
    const serverRequire = createRequire(join(packages, 'server', 'package.json'));
    const sqliteDir = dirname(serverRequire.resolve('better-sqlite3/package.json'));
    const sqliteVersion = (JSON.parse(readFileSync(join(sqliteDir, 'package.json'), 'utf8')) as { version: string }).version;
    writeFileSync(
      join(site, 'package.json'),
      JSON.stringify({ name: 'my-chat', private: true, ...(full ? {} : { overrides: { 'better-sqlite3': sqliteVersion } }) }, null, 2),
    );
    const started = Date.now();
    run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', ...(full ? [] : ['--ignore-scripts']), ...files.map((file) => join(tarballs, file))],
      site,
      { npm_config_nodedir: process.env.npm_config_nodedir ?? '/usr' },
    );
    if (!full) {
      const release = join(site, 'node_modules', 'better-sqlite3', 'build', 'Release');
      mkdirSync(release, { recursive: true });
      copyFileSync(join(sqliteDir, 'build', 'Release', 'better_sqlite3.node'), join(release, 'better_sqlite3.node'));
    }
    const installSeconds = (Date.now() - started) / 1000;
    // The workspace packages come from the tarballs, not from the registry.
    for (const name of ['protocol', 'widget', 'admin']) {
      expect(existsSync(join(site, 'node_modules', '@parley', 'server', 'node_modules', '@parley', name)), `a second @parley/${name}`).toBe(false);
      expect(existsSync(join(site, 'node_modules', '@parley', name, 'dist'))).toBe(true);
    }

    server = spawn('npx', ['--no-install', '@parley/server', 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', join(site, 'data')], {
      cwd: site,
      detached: true,
      env: { ...process.env, PARLEY_ADMIN_PASSWORD: 'correct horse battery staple', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    server.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const origin = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start within 60 s:\n${output}`)), 60_000);
      const check = () => {
        const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      };
      server!.stdout!.on('data', check);
      server!.once('exit', (code) => reject(new Error(`the server exited with ${code}:\n${output}`)));
    });

    const health = await fetch(`${origin}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const widget = await fetch(`${origin}/widget.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toMatch(/javascript/);
    expect((await widget.text()).length).toBeGreaterThan(1000);

    const admin = await fetch(`${origin}/admin`);
    expect(admin.status).toBe(200);
    const page = await admin.text();
    expect(page).toMatch(/<script[^>]+src="[^"]+\.js"/);
    // The dashboard's own bundle comes with it.
    const script = /<script[^>]+src="([^"]+\.js)"/.exec(page)![1]!;
    const bundle = await fetch(new URL(script, `${origin}/admin/`));
    expect(bundle.status).toBe(200);

    const openapi = await fetch(`${origin}/api/openapi.json`);
    expect(openapi.status).toBe(200);
    expect(((await openapi.json()) as { info: { version: string } }).info.version).toBe('0.1.0');
    console.info(`installed in ${installSeconds.toFixed(1)} s (${full ? 'full build' : 'reusing the compiled better-sqlite3'})`);
  });
});
