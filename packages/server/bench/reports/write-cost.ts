import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { buildServer } from '../../src/server.js';
import type { ChatPorts, InsightsHooks } from '../../src/conversations/chat.js';

/**
 * `pnpm --filter @parley/server bench:insights-write`: what the insights rollups add to a chat
 * turn, measured in isolation (not the whole `pnpm bench`). The same visitor journeys (a start and
 * four answers of the demo flow, reaching a new step each) run alternately with the rollups on and
 * with no-op hooks, in rounds, and the CPU time per turn of each is compared.
 *
 * By default the journeys run one after the other, so every turn commits alone: the worst case,
 * where each page a rollup dirties is written for that turn only. `--concurrent N` runs N journeys
 * at a time, as N visitors would (turns share group commits, and the pages they dirty), the case
 * of a server under load, which `pnpm bench` measures. Beside the CPU time it counts the SQLite
 * statements per turn, which do not vary with the machine's load.
 */
const option = (name: string, fallback: number) => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Math.max(1, Number(process.argv[at + 1])) : fallback;
};
const ROUNDS = 6;
const CONCURRENT = option('concurrent', 1);
/** Journeys per round (`--journeys`): by default enough for every concurrent visitor to make five. */
const JOURNEYS = option('journeys', Math.max(300, 5 * CONCURRENT));
const ANSWERS = ['No', 'Ada Lovelace', 'ada@example.com', '+44 20 7946 0958'];

const dataDir = mkdtempSync(join(tmpdir(), 'parley-insights-write-'));
const app = await buildServer({ dataDir, logLevel: 'silent' });
await app.ready();
const company = app.companies.defaultCompany();
const chat = (app.chat as unknown as { ports: ChatPorts }).ports;
const real = chat.insights!;
const none: InsightsHooks = { beginFunnel() {}, started() {}, turn() {}, recorded() {}, ratingScale: () => 'five', ratingPrompt: () => [], knowRating: async () => {} };

/**
 * SQLite statements run, counted on better-sqlite3's statement prototype: unlike CPU time, the
 * same from run to run, so it shows what the rollups ask of the database on a busy machine too.
 */
let statements = 0;
{
  const probe = new Database(':memory:');
  const prototype = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>;
  probe.close();
  for (const name of ['run', 'get', 'all', 'iterate']) {
    const original = prototype[name]!;
    prototype[name] = function (this: unknown, ...args: unknown[]) {
      statements++;
      return original.apply(this, args);
    };
  }
}

/** One round: CPU microseconds and statements per turn. */
async function journeys(): Promise<{ cpu: number; statements: number }> {
  const counted = statements;
  const cpu = process.cpuUsage();
  let next = 0;
  const visitor = async () => {
    while (next < JOURNEYS) {
      next++;
      const { conversation } = await app.chat.start(company);
      for (const value of ANSWERS) await app.chat.handleInput(conversation, { kind: 'text', text: value });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT }, visitor));
  const used = process.cpuUsage(cpu);
  const turns = JOURNEYS * (ANSWERS.length + 1);
  return { cpu: (used.user + used.system) / turns, statements: (statements - counted) / turns };
}

const on: number[] = [];
const off: number[] = [];
const onStatements: number[] = [];
const offStatements: number[] = [];
await journeys(); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  chat.insights = none;
  const without = await journeys();
  off.push(without.cpu);
  offStatements.push(without.statements);
  chat.insights = real;
  const withThem = await journeys();
  on.push(withThem.cpu);
  onStatements.push(withThem.statements);
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const withRollups = median(on);
const without = median(off);
console.log(`CPU per turn (median of ${ROUNDS} rounds of ${JOURNEYS} journeys, ${CONCURRENT} at a time):`);
console.log(`  without rollups: ${without.toFixed(1)} µs`);
console.log(`  with rollups:    ${withRollups.toFixed(1)} µs  (${(withRollups - without >= 0 ? '+' : '') + (withRollups - without).toFixed(1)} µs, ${(((withRollups - without) / without) * 100).toFixed(1)} %)`);
console.log(`SQLite statements per turn: without ${median(offStatements).toFixed(2)}, with ${median(onStatements).toFixed(2)} (+${(median(onStatements) - median(offStatements)).toFixed(2)})`);
console.log(`  rounds on:  ${on.map((n) => n.toFixed(0)).join(' ')}`);
console.log(`  rounds off: ${off.map((n) => n.toFixed(0)).join(' ')}`);
await app.close();
rmSync(dataDir, { recursive: true, force: true });
