import { parseArgs } from 'node:util';
import { verdictFailures, type DeliveryVerdict } from './check.js';
import { runFuzz } from './fuzz.js';
import { runKillDrill } from './kill.js';
import { runSigtermDrill } from './sigterm.js';

/**
 * `pnpm drill`: the long delivery drills against the built server (`dist`). Exits 1 when any
 * drill finds a lost, doubled or misplaced message, a leak, or an unhandled rejection.
 *
 * Flags: --visitors N (50), --messages N (200), --only kill,sigterm,fuzz, --source (run the
 * server from src instead of dist).
 */
const { values } = parseArgs({
  options: {
    visitors: { type: 'string', default: '50' },
    messages: { type: 'string', default: '200' },
    only: { type: 'string', default: 'kill,sigterm,fuzz' },
    source: { type: 'boolean', default: false },
  },
});
const visitors = Number(values.visitors);
const messages = Number(values.messages);
const only = new Set(values.only.split(','));
const fromSource = values.source;
const log = (line: string) => process.stdout.write(`${line}\n`);
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

async function main(): Promise<void> {
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

const deadline = setTimeout(() => {
  process.stderr.write('drill: ran past its 8-minute limit\n');
  process.exit(2);
}, 8 * 60_000);
deadline.unref();

main().catch((error: unknown) => {
  process.stderr.write(`drill: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
