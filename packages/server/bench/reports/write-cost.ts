import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../src/server.js';
import type { ChatPorts, InsightsHooks } from '../../src/conversations/chat.js';

/**
 * `pnpm --filter @parley/server bench:insights-write`: what the insights rollups add to a chat
 * turn, measured in isolation (not the whole `pnpm bench`). The same visitor journeys (a start and
 * four answers of the demo flow, reaching a new step each) run alternately with the rollups on and
 * with no-op hooks, in rounds, and the CPU time per turn of each is compared.
 */
const ROUNDS = 6;
const JOURNEYS = 300;
const ANSWERS = ['No', 'Ada Lovelace', 'ada@example.com', '+44 20 7946 0958'];

const dataDir = mkdtempSync(join(tmpdir(), 'parley-insights-write-'));
const app = await buildServer({ dataDir, logLevel: 'silent' });
await app.ready();
const company = app.companies.defaultCompany();
const chat = (app.chat as unknown as { ports: ChatPorts }).ports;
const real = chat.insights!;
const none: InsightsHooks = { started() {}, turn() {}, recorded() {}, ratingScale: () => 'five', ratingPrompt: () => [], knowRating: async () => {} };

async function journeys(): Promise<number> {
  const cpu = process.cpuUsage();
  for (let i = 0; i < JOURNEYS; i++) {
    const { conversation } = await app.chat.start(company);
    for (const value of ANSWERS) await app.chat.handleInput(conversation, { kind: 'text', text: value });
  }
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / (JOURNEYS * (ANSWERS.length + 1));
}

const on: number[] = [];
const off: number[] = [];
await journeys(); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  chat.insights = none;
  off.push(await journeys());
  chat.insights = real;
  on.push(await journeys());
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const withRollups = median(on);
const without = median(off);
console.log(`CPU per turn (median of ${ROUNDS} rounds of ${JOURNEYS} journeys):`);
console.log(`  without rollups: ${without.toFixed(1)} µs`);
console.log(`  with rollups:    ${withRollups.toFixed(1)} µs  (${(withRollups - without >= 0 ? '+' : '') + (withRollups - without).toFixed(1)} µs, ${(((withRollups - without) / without) * 100).toFixed(1)} %)`);
console.log(`  rounds on:  ${on.map((n) => n.toFixed(0)).join(' ')}`);
console.log(`  rounds off: ${off.map((n) => n.toFixed(0)).join(' ')}`);
await app.close();
rmSync(dataDir, { recursive: true, force: true });
