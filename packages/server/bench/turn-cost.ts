import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '@parley/server';
import { BenchDatabase, postgresAdminUrl } from './lib/bench-database.js';
import { cpuBetween, cpuSnapshot, type CpuSnapshot } from './lib/process-cpu.js';
import { RedisScope } from './lib/redis-scope.js';

/**
 * `pnpm --filter @parley/server bench:turn-cost`: the server's own work per visitor turn, without
 * sockets or a load generator. One server on a temporary SQLite file with the bench's flow;
 * `CONVERSATIONS` conversations each send text turns through `ChatService.handleInput` in a closed
 * loop (all at once, so turns share group commits as under load); the main thread's CPU time per
 * turn is read from `/proc` for each round. `--rounds N`, `--turns N` (per conversation and round).
 *
 * CPU time moves with whatever else the machine runs; instructions do not. `--callgrind` counts the
 * measured rounds' instructions alone (every thread) when run under callgrind started with its
 * counting off, so two builds compare exactly on a busy machine (docs/performance.md):
 * `valgrind --tool=callgrind --instr-atstart=no --smc-check=all-non-file node --import tsx bench/turn-cost.ts --callgrind`
 * then divide the `I refs` it prints by the measured turns.
 *
 * `--store postgres`: the same on a fresh PostgreSQL database (on `PARLEY_TEST_POSTGRES_URL`'s
 * server, dropped at the end) and a Redis key prefix of its own (`REDIS_URL`, by default the local
 * one); each round then also prints the process's CPU per turn on all its threads, the database
 * backends' (from `/proc`), the turns per second and the group commits.
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROUNDS = option('rounds', 5);
const TURNS = option('turns', 50);
const CALLGRIND = args.includes('--callgrind');
const POSTGRES = args[args.indexOf('--store') + 1] === 'postgres' && args.includes('--store');
const CONVERSATIONS = 200;
const TEXT = 'x'.repeat(69);

/** CPU time of this process's main thread in microseconds (10 ms resolution). */
function mainThreadCpuUs(): number {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100;
}

const dataDir = mkdtempSync(join(tmpdir(), 'parley-turn-cost-'));
const database = POSTGRES ? await BenchDatabase.create(postgresAdminUrl, 'turn_cost') : undefined;
const redis = POSTGRES ? new RedisScope(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379') : undefined;
const app = await buildServer({
  dataDir,
  logLevel: 'silent',
  flowFile: new URL('./flows/turns.json', import.meta.url).pathname,
  ...(database && redis ? { databaseUrl: database.url, redisUrl: redis.url, redisPrefix: redis.prefix } : {}),
});
await app.ready();
const company = app.companies.defaultCompany();
const conversations = await Promise.all(Array.from({ length: CONVERSATIONS }, async () => (await app.chat.start(company)).conversation));

/** Turns callgrind's counting on or off for this process (`--callgrind`). */
function counting(on: boolean): void {
  if (CALLGRIND) execFileSync('callgrind_control', ['-i', on ? 'on' : 'off', String(process.pid)]);
}

async function round(measured: boolean): Promise<number> {
  if (measured) counting(true);
  const before = mainThreadCpuUs();
  const started = { process: process.cpuUsage(), at: performance.now(), commits: app.writes.commits, backends: database ? await backendsCpu(database) : undefined };
  await Promise.all(
    conversations.map(async (conversation) => {
      for (let i = 0; i < TURNS; i++) await app.chat.handleInput(conversation, { kind: 'text', text: TEXT });
    }),
  );
  const used = (mainThreadCpuUs() - before) / (CONVERSATIONS * TURNS);
  if (measured) counting(false);
  if (measured && database) {
    const turns = CONVERSATIONS * TURNS;
    const all = process.cpuUsage(started.process);
    const backends = cpuBetween(started.backends!, await backendsCpu(database));
    const seconds = (performance.now() - started.at) / 1000;
    console.log(
      `round: ${(turns / seconds).toFixed(0)} turns/s; CPU per turn: process ${((all.user + all.system) / turns).toFixed(1)} µs, ` +
        `PostgreSQL backends ${(backends / turns).toFixed(1)} µs; ${app.writes.commits - started.commits} group commits`,
    );
  }
  return used;
}

await round(false); // warm-up
const rounds: number[] = [];
for (let i = 0; i < ROUNDS; i++) rounds.push(await round(true));
// Every turn must have stored the visitor's message and the bot's answer, or the figure means nothing.
const { stored } = await app.db
  .selectFrom('messages')
  .select((eb) => eb.fn.countAll<number>().as('stored'))
  .where('role', '=', 'user')
  .executeTakeFirstOrThrow();
const expected = CONVERSATIONS * TURNS * (ROUNDS + 1);
if (Number(stored) !== expected) throw new Error(`${stored} visitor messages stored, ${expected} expected`);
const sorted = [...rounds].sort((a, b) => a - b);
if (CALLGRIND) console.log(`measured turns: ${CONVERSATIONS * TURNS * ROUNDS}`);
console.log(`main-thread CPU per turn: median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} µs; rounds ${rounds.map((n) => n.toFixed(0)).join(' ')}; load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
await app.close();
await database?.drop();
await redis?.clear();
rmSync(dataDir, { recursive: true, force: true });

/** CPU so far of the PostgreSQL backends serving the database. */
async function backendsCpu(db: BenchDatabase): Promise<CpuSnapshot> {
  return cpuSnapshot(await db.backends());
}
