#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startServer } from './server.js';
import type { ParleyOptions } from './config.js';

const HELP = `Parley: self-hosted customer chat.

Usage:
  parley start [options]     Start the server (the demo bot answers until you add your own flow)
  parley --help              Show this help

Options for start:
  -p, --port <n>             Port to listen on (env PORT, default 3000)
      --host <addr>          Address to bind (env HOST, default 127.0.0.1; 0.0.0.0 for all)
  -d, --data-dir <path>      Folder for the database and uploads (env DATA_DIR, default ./data)
      --flow <file>          Flow file for the default company's bot (env PARLEY_FLOW)
      --log-level <level>    fatal|error|warn|info|debug|trace|silent (env LOG_LEVEL, default info)
`;

/** Parses `parley` command-line arguments into a command and server options. Exported for tests. */
export function parseCli(argv: string[]): { command: 'start' | 'help'; options: ParleyOptions } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'data-dir': { type: 'string', short: 'd' },
      flow: { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || command === undefined || command === 'help') return { command: 'help', options: {} };
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
  const server = await startServer(parsed.options);
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : server.config.port;
  const bound = server.config.host;
  const host = bound === '0.0.0.0' || bound === '::' || bound === '127.0.0.1' ? 'localhost' : bound;
  const base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const lines = [
    '',
    `  Parley is running (data in ${server.config.dataDir})`,
    `  Health:         ${base}/health`,
    `  Chat API:       ${base}/api/chatbot`,
    `  WebSocket:      ${base.replace('http', 'ws')}/ws`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`parley: ${(error as Error).message}\n`);
  process.exit(1);
});
