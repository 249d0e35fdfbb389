import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { ChatbotStartResponse } from '@parley/protocol';
import { maintainPostgres, parseCli } from '../../src/cli.js';
import { serverVersion } from '../../src/core/version.js';
import { migrationProvider } from '../../src/db/migrations/index.js';
import { login } from '../agent-helper.js';
import { startTestServer, tempDataDir, testStore } from '../helper.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

/** Runs the built CLI to its end. */
function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `pnpm build` first (the root `pnpm test` does)');
  return new Promise((resolve) =>
    execFile(process.execPath, [CLI, ...args], { env: { ...process.env, LOG_LEVEL: 'warn' } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

describe('parley maintenance commands', () => {
  it('parses backup, migrate, admin reset-password and --version', () => {
    expect(parseCli(['backup', 'x.sqlite', '-d', 'data'])).toEqual({ command: 'backup', options: { dataDir: 'data' }, file: 'x.sqlite' });
    expect(parseCli(['migrate']).command).toBe('migrate');
    expect(parseCli(['migrate', 'status']).command).toBe('migrate-status');
    expect(parseCli(['admin', 'reset-password', 'a@b.c'])).toEqual({ command: 'reset-password', options: {}, email: 'a@b.c' });
    expect(parseCli(['--version']).command).toBe('version');
    expect(() => parseCli(['backup'])).toThrow('Usage: parley backup FILE');
    expect(() => parseCli(['migrate', 'down'])).toThrow('Usage: parley migrate');
    expect(() => parseCli(['admin', 'reset-password'])).toThrow('Usage: parley admin reset-password');
  });

  it('on PostgreSQL, refuses backup and migrate (pg_dump, and migrations at start) and resets a password', async () => {
    await expect(maintainPostgres({ command: 'backup' }, 'postgres://127.0.0.1:1/none')).rejects.toThrow(/pg_dump/);
    await expect(maintainPostgres({ command: 'migrate' }, 'postgres://127.0.0.1:1/none')).rejects.toThrow(/runs the pending migrations when it starts/);
    await expect(maintainPostgres({ command: 'migrate-status' }, 'postgres://127.0.0.1:1/none')).rejects.toThrow(/DATABASE_URL is set/);
    // A PostgreSQL server to reset a password on is there in the PostgreSQL pass only.
    if (testStore !== 'postgres') return;
    const { app, http } = await startTestServer({ adminEmail: 'owner@shop.test', adminPassword: 'forgotten-long-ago' });
    const stdout = await maintainPostgres({ command: 'reset-password', email: 'Owner@Shop.test' }, app.config.databaseUrl!);
    const password = /New password for owner@shop\.test: (\S+)/.exec(stdout)?.[1];
    expect(password).toHaveLength(20);
    expect((await login(http, 'owner@shop.test', password!)).user.email).toBe('owner@shop.test');
  });

  it('prints its version', async () => {
    const { code, stdout } = await cli(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(serverVersion());
  });

  it('lists pending migrations, runs them, then reports the database up to date', async () => {
    const dataDir = tempDataDir();
    // A database left by an older version: every migration but the last has run.
    const names = Object.keys(await migrationProvider.getMigrations());
    const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SQLite(join(dataDir, 'parley.sqlite')) }) });
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo(names.at(-2)!);
    expect(error).toBeUndefined();
    await db.destroy();

    let result = await cli(['migrate', 'status', '-d', dataDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`pending +${names.at(-1)}`));
    expect(result.stdout).toContain('1 pending');

    result = await cli(['migrate', '-d', dataDir]);
    expect(result.stdout).toBe(`Ran 1 migration(s):\n  ${names.at(-1)}\n`);
    result = await cli(['migrate', 'status', '-d', dataDir]);
    expect(result.stdout).not.toContain('pending');
    expect(result.stdout).toContain('The database is up to date.');
  });

  it('resets a lost password beside the running server and prints the new one once', async () => {
    const dataDir = tempDataDir();
    const { http } = await startTestServer({ dataDir, adminEmail: 'owner@shop.test', adminPassword: 'forgotten-long-ago' });
    const { code, stdout } = await cli(['admin', 'reset-password', 'Owner@Shop.test', '-d', dataDir]);
    expect(code).toBe(0);
    const password = /New password for owner@shop\.test: (\S+)/.exec(stdout)?.[1];
    expect(password).toHaveLength(20);
    await expect(login(http, 'owner@shop.test', 'forgotten-long-ago')).rejects.toThrow('401');
    expect((await login(http, 'owner@shop.test', password!)).user.email).toBe('owner@shop.test');

    const unknown = await cli(['admin', 'reset-password', 'nobody@shop.test', '-d', dataDir]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No account with the email nobody@shop.test');
  });

  it('backs up under load; a server started on the copy has every message acknowledged before the backup began', async () => {
    const dataDir = tempDataDir();
    const { app, http } = await startTestServer({ dataDir, limits: { httpRequestsPerMinute: 1_000_000 } });
    const acknowledged: Array<{ text: string; at: number }> = [];
    let stop = false;
    const visitor = async (n: number) => {
      const start = (await (await fetch(`${http}/api/chatbot`)).json()) as ChatbotStartResponse;
      for (let i = 0; !stop; i++) {
        const text = `load ${n}-${i}`;
        const res = await fetch(`${http}/api/chatbot`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ chatbot_session: start.chatbot_session, message: text }),
        });
        if (res.status !== 200) throw new Error(`message refused: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
        acknowledged.push({ text, at: performance.now() });
      }
    };
    const load = Array.from({ length: 8 }, (_, n) => visitor(n));
    while (acknowledged.length < 30) await new Promise((resolve) => setTimeout(resolve, 20));

    const backupFile = join(tempDataDir(), 'parley-backup.sqlite');
    const began = performance.now();
    const result = await cli(['backup', backupFile, '-d', dataDir]);
    const ended = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
    stop = true;
    await Promise.all(load);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('one consistent snapshot');
    expect((statSync(backupFile).mode & 0o077).toString(8)).toBe('0');

    const before = acknowledged.filter((m) => m.at < began).map((m) => m.text);
    const during = acknowledged.filter((m) => m.at >= began && m.at <= ended);
    expect(before.length).toBeGreaterThan(20);
    expect(during.length, 'the server kept acknowledging messages while the backup ran').toBeGreaterThan(0);
    await app.close();

    // Restore as documented: the copy becomes parley.sqlite of a fresh data folder, with the secret.
    const restored = tempDataDir();
    copyFileSync(backupFile, join(restored, 'parley.sqlite'));
    copyFileSync(join(dataDir, 'secret'), join(restored, 'secret'));
    const { app: second, http: secondHttp } = await startTestServer({ dataDir: restored });
    expect((await fetch(`${secondHttp}/readyz`)).status).toBe(200);
    const stored = new Set(
      second.sqlite
        .prepare("SELECT text FROM messages WHERE role = 'user' AND text LIKE 'load %'")
        .pluck()
        .all() as string[],
    );
    const missing = before.filter((text) => !stored.has(text));
    expect(missing).toEqual([]);
  });
});
