import { parseArgs } from 'node:util';
import { verdictFailures, type DeliveryVerdict } from './check.js';
import { runFuzz } from './fuzz.js';
import { runKillDrill } from './kill.js';
import { agentFailures, webhookFailures } from './check-nodes.js';
import { runNodesDrill } from './nodes.js';
import { runSigtermDrill } from './sigterm.js';
import { benchArgs } from '../lib/command-line.js';
import { staleBuild } from '../lib/stale-build.js';

/**
 * `pnpm drill`: the long delivery drills against the built server (`dist`). Exits 1 when any
 * drill finds a lost, doubled or misplaced message, a leak, or an unhandled rejection.
 *
 * Flags: --visitors N (50), --messages N (200), --only kill,sigterm,fuzz, --source (run the
 * server from src instead of dist). `--nodes N` runs the multi-node drill instead (`nodes.ts`):
 * N nodes on a fresh PostgreSQL database and a private Redis behind a round-robin proxy, a random
 * node killed every 5-15 s, Redis restarted once; it needs PostgreSQL (`PARLEY_TEST_POSTGRES_URL`,
 * default the local one) and `redis-server` on the PATH. Its visitors send 1.4 fresh messages a
 * second each (`--per-second`; 0: as fast as acks come back, about five times the load).
 */
const { values } = parseArgs({
  args: benchArgs(),
  options: {
    visitors: { type: 'string', default: '50' },
    messages: { type: 'string', default: '200' },
    only: { type: 'string', default: 'kill,sigterm,fuzz' },
    source: { type: 'boolean', default: false },
    nodes: { type: 'string' },
    'per-second': { type: 'string', default: '1.4' },
  },
});
const visitors = Number(values.visitors);
const messages = Number(values.messages);
const only = new Set(values.only.split(','));
const fromSource = values.source;
const log = (line: string) => process.stdout.write(`${line}\n`);
const stale = fromSource ? undefined : staleBuild();
// A drill of an older build says nothing of the code in src: say so before anything else.
if (stale) log(`WARNING: ${stale} (or pass --source)`);
const failures: string[] = [];

function verdictLines(name: string, v: DeliveryVerdict): void {
  log(
    `  acknowledged ${v.acknowledged}, acknowledged-but-missing ${v.acknowledgedButMissing}, duplicated ${v.duplicated}, ` +
      `seq problems ${v.seqProblems}, unanswered ${v.unanswered}, transcript mismatches ${v.transcriptMismatches}, ` +
      `never acknowledged ${v.neverAcknowledged}, client problems ${v.clientProblems}, integrity_check ${v.integrity}`,
  );
  for (const line of v.details.slice(0, 10)) log(`    ${line}`);
  failures.push(...verdictFailures(v).map((f) => `${name}: ${f}`));
}

/** The multi-node drill's time limit: the visitors' deadline, then the settling, then the checks. */
const NODES_DEADLINE_MS = 240_000;
const NODES_SETTLE_MS = 60_000;

async function nodesDrill(nodes: number): Promise<void> {
  log(`Multi-node drill: ${nodes} nodes on PostgreSQL and Redis behind a round-robin proxy, ${visitors} visitors x ${messages} messages`);
  log('  2 companies, 2 dashboards and a webhook endpoint each; a random node killed every 5-15 s, Redis restarted once');
  const r = await runNodesDrill({
    nodes,
    visitors,
    messages,
    killEveryMs: [5000, 15_000],
    redisRestartAt: 0.4,
    deadlineMs: NODES_DEADLINE_MS,
    settleMs: NODES_SETTLE_MS,
    companies: 2,
    agentsPerCompany: 2,
    webhookLeaseMs: 3000,
    fromSource,
    visitor: { window: 2, ...(Number(values['per-second']) > 0 ? { perSecond: Number(values['per-second']) } : {}) },
    log,
  });
  log(
    `  ${r.seconds} s (settled in ${r.settleSeconds} s), ${r.kills} kills, ${r.redisRestarts} Redis restart, ${r.reconnects} visitor reconnections, ` +
      `finished: ${r.finished}, settled: ${r.settled}, messages stored ${r.storedMessages}`,
  );
  log(`  longest visitor stall ${r.longestStallSeconds} s, error frames ${JSON.stringify(r.visitorErrors)}, resent after an error ${r.resentAfterError}, hellos sent again ${r.helloRetries}`);
  for (const line of r.stalls.slice(0, 10)) log(`    ${line}`);
  log(`  proxy: connections per node ${JSON.stringify(r.proxy.counts)}, moved off a refusing node ${r.proxy.skipped}, refused ${r.proxy.refused}; exit codes ${JSON.stringify(r.exitCodes)}`);
  log(`  errors logged by the nodes: ${r.loggedErrorCount}`);
  for (const line of r.loggedErrors.slice(0, 10)) log(`    ${line}`);
  verdictLines('nodes/visitors', r.visitors);
  const a = r.agents;
  log(
    `  agents ${a.agents}: received ${a.received} (by fetch ${a.fetched}), missing ${a.missing}, mismatched ${a.mismatched}, ` +
      `foreign ${a.foreign}, out of order ${a.outOfOrder}, problems ${a.problems}, reconnections ${a.reconnects}`,
  );
  for (const line of a.details.slice(0, 10)) log(`    ${line}`);
  const w = r.webhooks;
  log(
    `  webhooks ${w.endpoints} endpoints: requests ${w.requests}, repeats ${w.repeats} (allowed), late repeats ${w.lateRepeats}, ` +
      `out of order ${w.outOfOrder}, missing ${w.missing}, phantom ${w.phantom}, foreign ${w.foreign}, bad signatures ${w.badSignatures}`,
  );
  for (const line of w.details.slice(0, 10)) log(`    ${line}`);
  failures.push(...agentFailures(a).map((f) => `nodes: ${f}`), ...webhookFailures(w).map((f) => `nodes: ${f}`));
  if (!r.finished) failures.push(`nodes: the visitors did not finish within ${NODES_DEADLINE_MS / 1000} s`);
  if (!r.settled) failures.push(`nodes: webhooks and dashboards did not catch up within ${NODES_SETTLE_MS / 1000} s`);
  if (r.kills === 0) failures.push('nodes: no node was killed');
  if (r.longestStallSeconds >= 30) failures.push(`nodes: a visitor waited ${r.longestStallSeconds} s for an ack`);
  if (r.redisRestarts !== 1) failures.push(`nodes: Redis was restarted ${r.redisRestarts} times`);
  if (r.exitCodes.some((code) => code !== 0)) failures.push(`nodes: exit codes on SIGTERM ${JSON.stringify(r.exitCodes)}`);
  failures.push(...r.faults.slice(0, 20).map((f) => `nodes: ${f}`));
}

async function main(): Promise<void> {
  if (values.nodes !== undefined) {
    await nodesDrill(Number(values.nodes));
    log(failures.length ? `\nDRILL FAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}` : '\nThe multi-node drill passed.');
    process.exitCode = failures.length ? 1 : 0;
    return;
  }
  if (only.has('kill')) {
    log(`SIGKILL drill: ${visitors} visitors x ${messages} messages, server killed every 1-3 s`);
    const r = await runKillDrill({
      visitors,
      messages,
      killEveryMs: [1000, 3000],
      deadlineMs: 240_000,
      fromSource,
      visitor: { window: 2, pauseMs: 1200 },
    });
    log(`  ${r.seconds} s, ${r.kills} kills, ${r.reconnects} reconnection attempts, finished: ${r.finished}`);
    verdictLines('kill', r);
    if (!r.finished) failures.push('kill: the visitors did not finish before the deadline');
    if (r.kills === 0) failures.push('kill: the server was never killed');
    failures.push(...r.faults.map((f) => `kill: ${f}`));
  }
  if (only.has('sigterm')) {
    log(`SIGTERM drill: ${visitors} visitors x ${Math.round(messages / 2)} messages, SIGTERM halfway`);
    const r = await runSigtermDrill({ visitors, messages: Math.round(messages / 2), at: 0.5, deadlineMs: 120_000, fromSource });
    log(
      `  ${r.seconds} s, exit code ${r.exitCode}, close codes ${JSON.stringify(r.closeCodes)}, in flight at SIGTERM ${r.inFlightAtSigterm} ` +
        `(committed by the exit ${r.inFlightCommitted}), acknowledged but missing at the exit ${r.ackedMissingAtExit}`,
    );
    verdictLines('sigterm', r);
    if (r.exitCode !== 0) failures.push(`sigterm: exit code ${r.exitCode}`);
    if (Object.keys(r.closeCodes).some((code) => code !== '1001')) failures.push(`sigterm: close codes ${JSON.stringify(r.closeCodes)}`);
    if (r.ackedMissingAtExit) failures.push(`sigterm: ${r.ackedMissingAtExit} acknowledged messages missing at the exit`);
    if (!r.finished) failures.push('sigterm: the visitors did not finish before the deadline');
    failures.push(...r.faults.map((f) => `sigterm: ${f}`));
  }
  if (only.has('fuzz')) {
    log('Malformed-input fuzz: /ws frames and every HTTP route, 5 rounds');
    const r = await runFuzz({ rounds: 5, fromSource });
    log(`  ${r.seconds} s, ${r.frames} frames, ${r.requests} requests, leaks ${r.leaks.length}, 5xx ${r.serverErrors.length}, undocumented ${r.undocumented.length}, faults ${r.faults.length}, alive ${r.alive}`);
    for (const line of [...r.leaks, ...r.serverErrors, ...r.undocumented, ...r.faults].slice(0, 10)) log(`    ${line}`);
    if (r.leaks.length) failures.push(`fuzz: ${r.leaks.length} leaks`);
    if (r.serverErrors.length) failures.push(`fuzz: ${r.serverErrors.length} server errors`);
    if (r.undocumented.length) failures.push(`fuzz: ${r.undocumented.length} undocumented answers`);
    if (r.faults.length) failures.push(`fuzz: ${r.faults.length} unhandled rejections or exceptions`);
    if (!r.alive) failures.push('fuzz: the server did not answer afterwards');
  }
  log(failures.length ? `\nDRILL FAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}` : '\nAll drills passed.');
  process.exitCode = failures.length ? 1 : 0;
}

// The multi-node drill: its deadlines plus a minute to start, check and clean up.
const limitMinutes = values.nodes !== undefined ? (NODES_DEADLINE_MS + NODES_SETTLE_MS) / 60_000 + 1 : 8;
const deadline = setTimeout(() => {
  process.stderr.write(`drill: ran past its ${limitMinutes}-minute limit\n`);
  process.exit(2);
}, limitMinutes * 60_000);
deadline.unref();

main().catch((error: unknown) => {
  process.stderr.write(`drill: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
