// Runs the server's test suite again with every test server on PostgreSQL (PARLEY_TEST_STORE=postgres:
// each test app gets a fresh database, dropped after the test). Test files that never touch the
// store's dialect (SQLite files and their CLI, static assets, packaging, pure functions, the Redis
// and PostgreSQL unit tests that already ran) are left out: they ran in the SQLite pass.
//
// With `--nodes 2` (`pnpm test:nodes`), the third mode: every test server is two app instances on
// one database and one Redis prefix behind a proxy that sends each request and each WebSocket to
// the other node in turn (PARLEY_TEST_NODES=2, see test/helper.ts). Only the test files that talk
// to a listening server run: the others build one app and call it in process, as the
// PostgreSQL pass already did.
//
// Without PostgreSQL at PARLEY_TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres)
// a developer's machine skips this pass with a note; under CI (or PARLEY_REQUIRE_SERVICES=1) it fails.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

const url = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const on = (value) => value !== undefined && !['', '0', 'false'].includes(value.toLowerCase());
const required = on(process.env.PARLEY_REQUIRE_SERVICES) || on(process.env.CI);

/** Test files that do not depend on the store: they run once, in the SQLite pass. */
const SQLITE_PASS_ONLY = [
  'test/pack/**',
  'test/core/assets.test.ts',
  'test/core/redis-*.test.ts',
  // Two nodes on a PostgreSQL database of their own, whatever the pass.
  'test/conversations/cross-node-writes.test.ts',
  'test/visitors/cross-node-delivery.test.ts',
  'test/core/settings-across-nodes.test.ts',
  'test/core/shared-secret.test.ts',
  'test/core/slow-start.test.ts',
  'test/ai/left-over-answer.test.ts',
  'test/drill/nodes.test.ts',
  'test/drill/stale-build.test.ts',
  'test/cli.test.ts',
  'test/cli-company.test.ts',
  'test/maintenance/cli.test.ts',
  'test/db/**',
  'test/docs/**',
  'test/deploy/**',
  'test/lib/**',
  'test/lib-clock.test.ts',
  'test/realtime/**',
  'test/flows/engine.test.ts',
  'test/flows/load.test.ts',
  'test/flows/form.test.ts',
  'test/ai/markdown.test.ts',
  'test/ai/prompt.test.ts',
];

const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
try {
  await client.connect();
  await client.query('SELECT 1');
} catch (error) {
  const reason = error instanceof Error ? error.message : String(error);
  if (required) {
    console.error(`test:postgres: PostgreSQL is required here (CI or PARLEY_REQUIRE_SERVICES=1) but ${url} does not answer: ${reason}`);
    process.exit(1);
  }
  console.log(`test:postgres: skipped, no PostgreSQL at ${url} (${reason})`);
  process.exit(0);
} finally {
  await client.end().catch(() => {});
}

const { values, positionals } = parseArgs({ options: { nodes: { type: 'string', default: '1' } }, allowPositionals: true, strict: false });
const nodes = values.nodes === '2' ? 2 : 1;
/** Test files that start nodes of their own on a database of their own: the same in every pass. */
const OWN_NODES = ['test/webhooks/webhooks-nodes.test.ts', 'test/visitors/shared-uploads.test.ts'];
const excluded = [...SQLITE_PASS_ONLY, ...(nodes === 2 ? OWN_NODES : [])].flatMap((pattern) => ['--exclude', pattern]);
const args = ['exec', 'vitest', 'run', ...(nodes === 2 ? listeningTestFiles() : []), ...excluded, ...positionals];
console.log(nodes === 2 ? 'test:nodes: the listening tests again, each server two nodes on PostgreSQL and Redis' : 'test:postgres: the server suite again, on PostgreSQL');
const run = spawnSync('pnpm', args, {
  stdio: 'inherit',
  env: { ...process.env, PARLEY_TEST_STORE: 'postgres', ...(nodes === 2 ? { PARLEY_TEST_NODES: '2' } : {}) },
});
process.exit(run.status ?? 1);

/** The test files that start a listening server (directly or through the agent helper). */
function listeningTestFiles() {
  const files = [];
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (path.endsWith('.test.ts') && /\bstart(?:Test|Agent)Server\(/.test(readFileSync(path, 'utf8'))) files.push(path);
    }
  };
  visit('test');
  return files.sort();
}
