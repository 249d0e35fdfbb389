import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli.js';
import { buildTestServer, onCleanup, tempDataDir } from './helper.js';

const CLI_SOURCE = fileURLToPath(new URL('../src/cli.ts', import.meta.url));

/** Runs the CLI from source (no build needed) until it exits, or until `until` shows up in its stdout. */
function cli(args: string[], env: Record<string, string> = {}, until?: RegExp) {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CLI_SOURCE, ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', PARLEY_ADMIN_EMAIL: '', PARLEY_ADMIN_PASSWORD: '', PARLEY_SECRET: '', ...env },
    stdio: 'pipe',
  });
  onCleanup(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out: ${stdout} ${stderr}`)), 20_000);
    const poll = setInterval(() => {
      if (until && until.test(stdout)) {
        clearInterval(poll);
        clearTimeout(timer);
        child.kill('SIGTERM');
        child.on('exit', (code) => resolve({ code, stdout, stderr }));
      }
    }, 20);
    child.on('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('parley company add and the first start', () => {
  it('parses company add', () => {
    expect(parseCli(['company', 'add', 'Beta', 'Shop', '--admin-email', 'a@b.test', '--origin', 'https://b.test', '-d', 'x'])).toEqual({
      command: 'company-add',
      options: { dataDir: 'x' },
      company: { name: 'Beta Shop', adminEmail: 'a@b.test', origins: ['https://b.test'] },
    });
    expect(() => parseCli(['company', 'add'])).toThrow('Usage: parley company add NAME');
    expect(() => parseCli(['company', 'add', 'X', '--admin-password', 'longenough'])).toThrow('--admin-password needs --admin-email');
    expect(() => parseCli(['company', 'add', 'X', '--origin', 'javascript:alert(1)'])).toThrow('--origin must look like');
  });

  it('adds a company, prints its keys and the admin password once, and the keys work', async () => {
    const dataDir = tempDataDir();
    const first = await cli(['company', 'add', 'Beta Shop', '--data-dir', dataDir, '--admin-email', 'Boss@Beta.test']);
    expect(first.code).toBe(0);
    // The owner was made by this first start, with a generated password, printed to stdout.
    const ownerPassword = /Password: +(\S+)/.exec(first.stdout)?.[1];
    expect(first.stdout).toContain('Email:          admin@parley.local');
    const siteKey = /Site key: +(pk_\S+)/.exec(first.stdout)?.[1];
    const apiKey = /API key: +(sk_\S+)/.exec(first.stdout)?.[1];
    const adminPassword = /Admin password: +(\S+)/.exec(first.stdout)?.[1];
    expect([ownerPassword, siteKey, apiKey, adminPassword].every(Boolean)).toBe(true);

    const second = await cli(['company', 'add', 'Gamma', '--data-dir', dataDir]);
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('First start');
    expect(second.stdout).toContain('No admin yet');
    expect(second.stdout).not.toContain(ownerPassword!);

    const app = await buildTestServer({ dataDir });
    const company = app.companies.resolveSite(siteKey);
    expect(company.name).toBe('Beta Shop');
    expect((await app.companies.byApiKey(apiKey!))?.id).toBe(company.id);
    // Only the API key's hash is stored.
    const row = await app.db.selectFrom('companies').select('api_key_hash').where('id', '=', company.id).executeTakeFirstOrThrow();
    expect(row.api_key_hash).not.toContain(apiKey!.slice(3));
    expect(await app.users.checkPassword('boss@beta.test', adminPassword!)).toMatchObject({ role: 'admin', companyId: company.id });
    expect(await app.users.checkPassword('admin@parley.local', ownerPassword!)).toMatchObject({ role: 'owner' });
    // The new company's widget answers with the demo bot at once.
    expect((await app.chat.start(company)).messages).toHaveLength(1);
  });

  it('a company added beside a running server is served by it without a restart', async () => {
    const dataDir = tempDataDir();
    const app = await buildTestServer({ dataDir });
    const added = await cli(['company', 'add', 'Delta', '--data-dir', dataDir, '--admin-email', 'lead@delta.test']);
    expect(added.code).toBe(0);
    const siteKey = /Site key: +(pk_\S+)/.exec(added.stdout)?.[1];
    const adminPassword = /Admin password: +(\S+)/.exec(added.stdout)?.[1];
    expect(siteKey && adminPassword).toBeTruthy();
    // The running server polls for other processes' commits; make it look now instead of waiting.
    await app.externalChanges.checkNow();
    const company = app.companies.resolveSite(siteKey);
    expect(company.name).toBe('Delta');
    // Its admin signs in and sees the company's (empty) inbox; its widget gets the demo bot.
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'lead@delta.test', password: adminPassword } });
    expect(login.statusCode).toBe(200);
    const chats = await app.inject({ method: 'GET', url: '/api/chats', headers: { authorization: `Bearer ${login.json().token}` } });
    expect(chats.statusCode).toBe(200);
    expect((await app.chat.start(company)).messages).toHaveLength(1);
  });

  it('prints a generated owner password on the first start only, never to the log', async () => {
    const dataDir = tempDataDir();
    const first = await cli(['start', '--port', '0', '--data-dir', dataDir], { LOG_LEVEL: 'info' }, /Save it now/);
    const password = /Password: +(\S+)/.exec(first.stdout)?.[1];
    expect(password).toBeTruthy();
    // The log lines (JSON) never carry it.
    const logLines = first.stdout.split('\n').filter((line) => line.startsWith('{'));
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(password!);
    const again = await cli(['start', '--port', '0', '--data-dir', dataDir], {}, /Parley is running/);
    expect(again.stdout).not.toContain('Password');
  });

  it('uses PARLEY_ADMIN_EMAIL and PARLEY_ADMIN_PASSWORD without printing the password', async () => {
    const dataDir = tempDataDir();
    const run = await cli(['start', '--port', '0', '--data-dir', dataDir], { PARLEY_ADMIN_EMAIL: 'Me@Shop.test', PARLEY_ADMIN_PASSWORD: 'chosen-password-1' }, /Parley is running/);
    expect(run.stdout).not.toContain('chosen-password-1');
    const app = await buildTestServer({ dataDir });
    expect(await app.users.checkPassword('me@shop.test', 'chosen-password-1')).toMatchObject({ role: 'owner' });
  });
});
