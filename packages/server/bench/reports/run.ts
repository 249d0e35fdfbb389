import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildServer } from '../../src/server.js';
import { seedReports } from './seed.js';
import { benchArgs } from '../lib/command-line.js';

/**
 * `pnpm --filter @parley/server bench:reports`: seeds 1,000,000 messages in 100,000 conversations
 * of one company (or reuses `--data DIR` seeded before), then asks every report, as the company's
 * admin over the app's HTTP stack, for today, 7, 30 and 90 days in two time zones, and prints
 * p50 / p99 per report. Exits 1 when a p99 reaches 300 ms.
 *
 * Flags: --data DIR (keep and reuse the seeded database), --runs N (requests per report and period, default 40),
 * --conversations N, --messages-per N.
 */
const { values } = parseArgs({
  args: benchArgs(),
  options: {
    data: { type: 'string' },
    runs: { type: 'string', default: '40' },
    conversations: { type: 'string', default: '100000' },
    'messages-per': { type: 'string', default: '10' },
  },
});

const TARGET_P99_MS = 300;
const ADMIN = { email: 'owner@reports.test', password: 'reports-bench-password' };
const dataDir = values.data ?? mkdtempSync(join(tmpdir(), 'parley-reports-'));
const fresh = !existsSync(join(dataDir, 'parley.sqlite'));
const app = await buildServer({ dataDir, logLevel: 'silent', adminEmail: ADMIN.email, adminPassword: ADMIN.password, limits: { agentRequestsPerMinute: 1_000_000 } });
await app.ready();

const count = app.sqlite.prepare('SELECT count(*) FROM conversation_facts').pluck().get() as number;
if (fresh || count === 0) {
  process.stdout.write(`Seeding ${values.conversations} conversations x ${values['messages-per']} messages into ${dataDir} ... `);
  const seeded = await seedReports(app, { conversations: Number(values.conversations), perConversation: Number(values['messages-per']) });
  console.log(`${seeded.messages} messages in ${seeded.seconds} s`);
  app.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  app.sqlite.exec('ANALYZE');
}
const messages = app.sqlite.prepare('SELECT count(*) FROM messages').pluck().get() as number;
const conversations = app.sqlite.prepare('SELECT count(*) FROM conversation_facts').pluck().get() as number;
console.log(`Database: ${conversations} conversations, ${messages} messages`);

const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: ADMIN });
const token = login.json<{ token: string }>().token;
const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
const periods = {
  today: [day(0), day(0)],
  '7 days': [day(6), day(0)],
  '30 days': [day(29), day(0)],
  '90 days': [day(89), day(0)],
} as const;
const reports = ['overview', 'daily', 'response-times', 'csat', 'hours', 'funnel'];
const zones = ['UTC', 'America/New_York'];
const runs = Number(values.runs);

const percentile = (sorted: number[], p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
const rows: Array<{ report: string; period: string; tz: string; p50: number; p99: number; max: number }> = [];
for (const report of reports) {
  for (const [name, [from, to]] of Object.entries(periods)) {
    for (const tz of zones) {
      const url = `/api/reports/${report}?from=${from}&to=${to}&tz=${encodeURIComponent(tz)}`;
      const times: number[] = [];
      for (let i = 0; i < runs + 3; i++) {
        const t0 = process.hrtime.bigint();
        const answer = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        if (answer.statusCode !== 200) throw new Error(`${url}: ${answer.statusCode} ${answer.body}`);
        if (i >= 3) times.push(ms);
      }
      times.sort((a, b) => a - b);
      const r = (n: number) => Math.round(n * 10) / 10;
      rows.push({ report, period: name, tz, p50: r(percentile(times, 0.5)), p99: r(percentile(times, 0.99)), max: r(times.at(-1)!) });
    }
  }
}
console.table(rows);
const worst = rows.reduce((a, b) => (b.p99 > a.p99 ? b : a));
console.log(`Slowest p99: ${worst.report}, ${worst.period}, ${worst.tz}: ${worst.p99} ms (target < ${TARGET_P99_MS} ms)`);
await app.close();
if (!values.data) rmSync(dataDir, { recursive: true, force: true });
process.exit(worst.p99 < TARGET_P99_MS ? 0 : 1);
