#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { buildServer, startServer } from './server.js';
import type { ParleyOptions } from './config.js';
import { onboardCompany, type NewCompany } from './plugins/app/onboarding.js';
import { generatePassword } from './lib/password.js';
import { exportArticles, importArticles } from './knowledge/commands.js';

const HELP = `Parley: self-hosted customer chat.

Usage:
  parley start [options]     Start the server (the demo bot answers until you add your own flow)
  parley company add NAME [--admin-email E] [--admin-password P] [--admin-name N] [--origin URL ...]
                             Add a company (tenant); prints its site key, API key and admin sign-in
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

/** Parses `parley` command-line arguments into a command and server options. Exported for tests. */
export function parseCli(argv: string[]): {
  command: 'start' | 'help' | 'company-add' | 'articles-import' | 'articles-export';
  options: ParleyOptions;
  company?: CompanyCommand;
  articles?: { path?: string; site?: string };
} {
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
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') return { command: 'help', options: {} };
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
