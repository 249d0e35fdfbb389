#!/usr/bin/env node
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildServer, startServer } from './server.js';
import { loadConfig, type ParleyOptions } from './config.js';
import { onboardCompany, type NewCompany } from './companies/onboarding.js';
import { generatePassword } from './lib/password.js';
import { serverVersion } from './core/version.js';
import { backupDatabase, migrationStatus, openExisting, resetPassword, runMigrations } from './maintenance/index.js';
import { openPostgres } from './db/postgres.js';
import { exportArticles, importArticles } from './knowledge/commands.js';

const HELP = `Parley: self-hosted customer chat.

Usage:
  parley start [options]     Start the server (the demo bot answers until you add your own flow)
  parley company add NAME [--admin-email E] [--admin-password P] [--admin-name N] [--origin URL ...]
                             Add a company (tenant); prints its site key, API key and admin sign-in
  parley backup FILE [-d DIR] Copy the database to FILE while the server runs (online, consistent)
  parley migrate [-d DIR]    Run the pending database migrations (start also runs them)
  parley migrate status [-d DIR]
                             List the migrations this version knows and which have run
  parley admin reset-password EMAIL [-d DIR]
                             Give an account a new generated password, printed once
  parley --version           Print the version
  parley articles import PATH [--site KEY]
                             Import help articles: a folder of Markdown files (sub-folders are
                             categories) or a JSON/CSV file; into the company of KEY, else the default
  parley articles export [--site KEY]
                             Print the company's articles as JSON (what import takes back)
  parley --help              Show this help

Options for start:
  -p, --port <n>             Port to listen on (env PORT, default 3000)
      --host <addr>          Address to bind (env HOST, default 127.0.0.1; 0.0.0.0 for all)
  -d, --data-dir <path>      Folder for the database and uploads (env DATA_DIR, default ./data)
      --flow <file>          Flow file for the default company's bot (env PARLEY_FLOW)
      --log-level <level>    fatal|error|warn|info|debug|trace|silent (env LOG_LEVEL, default info)

First start: the default company's owner is PARLEY_ADMIN_EMAIL (default admin@parley.local) with
PARLEY_ADMIN_PASSWORD, or a generated password printed once. Tokens are signed with PARLEY_SECRET,
or a secret generated once into <data-dir>/secret.
`;

/** What `parley company add` was asked to make. */
export interface CompanyCommand {
  name: string;
  adminEmail?: string;
  adminPassword?: string;
  adminName?: string;
  origins?: string[];
}

/** A parsed command line: what to do, with the server options and the command's own arguments. */
export interface CliCommand {
  command: 'start' | 'help' | 'version' | 'company-add' | 'backup' | 'migrate' | 'migrate-status' | 'reset-password' | 'articles-import' | 'articles-export';
  options: ParleyOptions;
  company?: CompanyCommand;
  /** The articles file or folder to import, and the company's site key (else the default company). */
  articles?: { path?: string; site?: string };
  /** The backup's target file. */
  file?: string;
  /** The account whose password is reset. */
  email?: string;
}

/** Parses `parley` command-line arguments into a command and server options. Exported for tests. */
export function parseCli(argv: string[]): CliCommand {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'data-dir': { type: 'string', short: 'd' },
      flow: { type: 'string' },
      'log-level': { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-password': { type: 'string' },
      'admin-name': { type: 'string' },
      origin: { type: 'string', multiple: true },
      site: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
  const command = positionals[0];
  if (values.version || command === 'version') return { command: 'version', options: {} };
  if (values.help || command === undefined || command === 'help') return { command: 'help', options: {} };
  const dataDir: ParleyOptions = values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {};
  if (command === 'backup') {
    if (!positionals[1] || positionals.length > 2) throw new Error('Usage: parley backup FILE [--data-dir DIR]');
    return { command: 'backup', options: dataDir, file: positionals[1] };
  }
  if (command === 'migrate') {
    if (positionals.length === 1) return { command: 'migrate', options: dataDir };
    if (positionals[1] === 'status' && positionals.length === 2) return { command: 'migrate-status', options: dataDir };
    throw new Error('Usage: parley migrate [status] [--data-dir DIR]');
  }
  if (command === 'admin') {
    if (positionals[1] !== 'reset-password' || !positionals[2] || positionals.length > 3) throw new Error('Usage: parley admin reset-password EMAIL [--data-dir DIR]');
    return { command: 'reset-password', options: dataDir, email: positionals[2] };
  }
  if (command === 'company') {
    if (positionals[1] !== 'add' || !positionals[2]) throw new Error('Usage: parley company add NAME [--admin-email E --admin-password P]');
    if (values['admin-password'] !== undefined && values['admin-email'] === undefined) throw new Error('--admin-password needs --admin-email');
    if (values['admin-password'] !== undefined && values['admin-password'].length < 8) throw new Error('--admin-password must be at least 8 characters');
    for (const origin of values.origin ?? []) {
      if (!/^https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?$/.test(origin)) throw new Error(`--origin must look like https://shop.example, got "${origin}"`);
    }
    const company: CompanyCommand = { name: positionals.slice(2).join(' ') };
    if (values['admin-email'] !== undefined) company.adminEmail = values['admin-email'];
    if (values['admin-password'] !== undefined) company.adminPassword = values['admin-password'];
    if (values['admin-name'] !== undefined) company.adminName = values['admin-name'];
    if (values.origin !== undefined) company.origins = values.origin;
    return { command: 'company-add', options: values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}, company };
  }
  if (command === 'articles') {
    const action = positionals[1];
    if (!((action === 'import' && positionals[2]) || action === 'export')) throw new Error('Usage: parley articles import PATH [--site KEY] | parley articles export [--site KEY]');
    const articles = { ...(positionals[2] ? { path: positionals[2] } : {}), ...(values.site !== undefined ? { site: values.site } : {}) };
    return { command: action === 'import' ? 'articles-import' : 'articles-export', options: values['data-dir'] !== undefined ? { dataDir: values['data-dir'] } : {}, articles };
  }
  if (command !== 'start') throw new Error(`Unknown command "${command}". Run parley --help.`);
  const options: ParleyOptions = {};
  if (values.port !== undefined) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got "${values.port}"`);
    options.port = port;
  }
  if (values.host !== undefined) options.host = values.host;
  if (values['data-dir'] !== undefined) options.dataDir = values['data-dir'];
  if (values.flow !== undefined) options.flowFile = values.flow;
  if (values['log-level'] !== undefined) options.logLevel = values['log-level'];
  return { command: 'start', options };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(2);
  }
  if (parsed.command === 'help') {
    process.stdout.write(HELP);
    return;
  }
  if (parsed.command === 'version') {
    process.stdout.write(`${serverVersion()}\n`);
    return;
  }
  if (parsed.command === 'backup' || parsed.command === 'migrate' || parsed.command === 'migrate-status' || parsed.command === 'reset-password') {
    process.stdout.write(await maintain(parsed));
    return;
  }
  if (parsed.command === 'company-add') {
    const server = await buildServer({ logLevel: 'warn', ...parsed.options });
    try {
      process.stdout.write(firstStartLines(server) + (await addCompany(server, parsed.company!)));
    } finally {
      await server.close();
    }
    return;
  }
  if (parsed.command === 'articles-import' || parsed.command === 'articles-export') {
    const server = await buildServer({ logLevel: 'warn', ...parsed.options });
    try {
      const { path, site } = parsed.articles!;
      process.stdout.write(parsed.command === 'articles-import' ? await importArticles(server, path!, site) : await exportArticles(server, site));
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exitCode = 1;
    } finally {
      await server.close();
    }
    return;
  }
  const server = await startServer(parsed.options);
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : server.config.port;
  const bound = server.config.host;
  const host = bound === '0.0.0.0' || bound === '::' || bound === '127.0.0.1' ? 'localhost' : bound;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const lines = [
    '',
    `  Parley is running (data in ${server.config.dataDir})`,
    `  Demo page:      ${base}/          (the widget with the demo bot)`,
    `  Dashboard:      ${base}/admin`,
    `  Health:         ${base}/health`,
    `  Chat API:       ${base}/api/chatbot`,
    `  WebSocket:      ${base.replace('http', 'ws')}/ws`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n' + firstStartLines(server));
}

/**
 * The owner's sign-in, when this start created it with a generated password: printed once, to
 * stdout only (never to the log).
 */
function firstStartLines(server: FastifyInstance): string {
  const first = server.users.firstStart;
  if (!first?.password) return '';
  return [
    '  First start: the owner account was created.',
    `  Email:          ${first.email}`,
    `  Password:       ${first.password}`,
    '  Save it now; it is not shown again. Set PARLEY_ADMIN_PASSWORD to choose it yourself.',
    '',
    '',
  ].join('\n');
}

/** Runs a maintenance command on the configured data folder (beside a running server, or not). */
async function maintain(parsed: CliCommand): Promise<string> {
  const { dataDir, databaseUrl } = loadConfig(parsed.options);
  if (databaseUrl) return maintainPostgres(parsed, databaseUrl);
  if (parsed.command === 'backup') {
    const result = await backupDatabase(dataDir, parsed.file!);
    return [
      `Backed up ${dataDir} to ${result.file} (${result.bytes} bytes, one consistent snapshot).`,
      `Keep the instance secret with it (PARLEY_SECRET, or ${join(dataDir, 'secret')}) and copy ${join(dataDir, 'uploads')} too: see docs/deployment.md.`,
      '',
    ].join('\n');
  }
  const db = openExisting(dataDir);
  try {
    if (parsed.command === 'migrate') {
      const ran = await runMigrations(db);
      return ran.length ? `Ran ${ran.length} migration(s):\n${ran.map((name) => `  ${name}\n`).join('')}` : 'The database is up to date.\n';
    }
    if (parsed.command === 'migrate-status') {
      const states = await migrationStatus(db);
      const pending = states.filter((m) => !m.executedAt).length;
      const lines = states.map((m) => `  ${m.executedAt ? 'done   ' : 'pending'}  ${m.name}${m.executedAt ? `  (${m.executedAt.toISOString()})` : ''}`);
      return `${lines.join('\n')}\n${pending ? `${pending} pending: run "parley migrate" (or start the server).` : 'The database is up to date.'}\n`;
    }
    return resetLines(await resetPassword(db, parsed.email!));
  } finally {
    await db.destroy();
  }
}

/**
 * The maintenance commands with `DATABASE_URL` set. `backup` and `migrate` are about the SQLite
 * file: PostgreSQL has `pg_dump` for backups, and every node migrates it when it starts.
 */
export async function maintainPostgres(parsed: Pick<CliCommand, 'command' | 'email'>, databaseUrl: string): Promise<string> {
  if (parsed.command === 'backup') {
    throw new Error(
      'parley backup copies the SQLite file; this server stores in PostgreSQL (DATABASE_URL is set). Back it up with pg_dump, e.g. pg_dump --format=custom --file=parley.dump "$DATABASE_URL" (see docs/scaling.md), and keep the instance secret with it (uploaded images are in the database; only those taken in before they moved there are in the uploads folder).',
    );
  }
  if (parsed.command === 'migrate' || parsed.command === 'migrate-status') {
    throw new Error('parley migrate works on the SQLite file; on PostgreSQL (DATABASE_URL is set) each node runs the pending migrations when it starts.');
  }
  const { db } = await openPostgres(databaseUrl, { maxConnections: 2 });
  try {
    return resetLines(await resetPassword(db, parsed.email!));
  } finally {
    await db.destroy();
  }
}

function resetLines(reset: Awaited<ReturnType<typeof resetPassword>>): string {
  return [
    `New password for ${reset.email}: ${reset.password}`,
    'It is shown only now. Sign in with it and change it on the dashboard.',
    ...(reset.disabled ? ['Note: this account is disabled; an admin must enable it before it can sign in.'] : []),
    '',
  ].join('\n');
}

/** Adds the company and says what to keep: its keys, and the admin's password when generated. */
async function addCompany(server: FastifyInstance, command: CompanyCommand): Promise<string> {
  const password = command.adminEmail ? (command.adminPassword ?? generatePassword()) : undefined;
  const input: NewCompany = {
    name: command.name,
    ...(command.origins ? { allowedOrigins: command.origins } : {}),
    ...(command.adminEmail && password ? { admin: { email: command.adminEmail, name: command.adminName ?? 'Admin', password } } : {}),
  };
  const { company, apiKey, admin } = await onboardCompany(server, input);
  return [
    `Company "${company.name}" added.`,
    `  Company id:     ${company.id}`,
    `  Site key:       ${company.siteKey}   (public: the widget's data-site)`,
    `  API key:        ${apiKey}   (secret: shown only now; for POST /api/transfer_to_agent)`,
    ...(admin
      ? [`  Admin:          ${admin.email}`, ...(command.adminPassword ? [] : [`  Admin password: ${password}   (shown only now)`])]
      : ["  No admin yet: the owner adds one on the dashboard's Companies screen (or POST /api/users with this company id)."]),
    'A server already running on this data folder serves it within a second, without a restart.',
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`parley: ${(error as Error).message}\n`);
  process.exit(1);
});
