import type { AgentFigures, TurnsResult } from '../load.js';
import type { MachineInfo } from './machine.js';
import type { WidgetWeight } from './widget-weight.js';

/** One target: the figure, the target, and whether it was met (undefined: not measured). */
export interface Check {
  name: string;
  figure?: number | undefined;
  unit: string;
  target: string;
  met: boolean | undefined;
  note?: string;
}

type Turns = TurnsResult & {
  serverCpuUsPerTurn: number;
  serverMainThreadUsPerTurn?: number;
  turnsPerCommit?: number;
  serverEventLoop?: { p50: number; p99: number; max: number };
  serverGc?: { count: number; totalMs: number; maxMs: number };
};

/** One round of the closed loop: each server's turns/s (messages/s for the echo) in windows side by side. */
export interface ClosedRound {
  /** 1-minute load average when the round began (the bench's own processes included). */
  loadAverage: number;
  echo: number;
  floor: number;
  parley: number;
  parleyVsFloor: number;
  /** Server CPU (all threads) per turn or echoed message, in microseconds. */
  cpuUsPerTurn: { echo: number; floor: number; parley: number };
}

/** One round of the agent fan-out: Parley's closed loop without and with the dashboards. */
export interface FanoutRound {
  loadAverage: number;
  without: number;
  with: number;
  ratio: number;
  /** Frames the dashboards received in the window (every kind), and per turn. */
  frames: number;
  framesPerTurn: number;
  /** Server CPU the dashboards added, per frame they received, in microseconds. */
  cpuUsPerFrame: number;
  cpuUsPerTurn: { without: number; with: number };
  missing: number;
}

interface IdleFigures {
  connections: number;
  connectSeconds: number;
  rssBeforeMiB: number;
  rssAfterMiB: number;
  kbPerConnection: number;
  heapKbPerConnection: number;
}

/** Everything one `pnpm bench` run measured; written as `bench/results/<date>.json`. */
export interface BenchReport {
  date: string;
  machine: MachineInfo;
  settings: { visitors: number; seconds: number; rounds?: number; roundSeconds?: number; text: string; priority: number };
  /** 1-minute load average before and after the run: other work on the machine skews every figure. */
  loadAverage: { before: number; after?: number };
  echo?: { closed: Turns; moderate?: Turns; lockstep?: Turns };
  /** The stored-turn floor (`floor-server.ts`) in the closed loop: the least a stored turn costs on this stack. */
  floor?: Turns & { ratio: number | undefined };
  turns?: Turns & { ratio: number | undefined };
  moderate?: Turns;
  /** The paced load with identical pauses (reported, not checked). */
  lockstep?: Turns;
  memory?: { echo: IdleFigures; parley: IdleFigures; ratio: number };
  agents?: (Turns & { agents?: AgentFigures }) | { pending: string };
  /** Measurement 1's rounds and the median of Parley's share of the floor in each. */
  closedRounds?: { rounds: ClosedRound[]; parleyVsFloor: number };
  /** Measurement 4's rounds: turns/s with the dashboards over turns/s without (median), and the CPU per agent frame. */
  fanout?: { rounds: FanoutRound[]; ratio: number; without: number; cpuUsPerFrame: number };
  widget?: WidgetWeight;
  serverFaults?: { unhandledRejections: number; uncaughtExceptions: number };
  checks: Check[];
}

/** A Markdown table, columns padded to their widest cell; `undefined` cells print as `-`. */
export function table(header: string[], rows: Array<Array<string | number | undefined>>): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === undefined ? '-' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(cells[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.slice(1).map(line)].join('\n') + '\n';
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** The run as Markdown: what ran where, the figures beside the echo ceiling, and the targets. */
export function formatReport(report: BenchReport): string {
  const m = report.machine;
  let out = `# Parley bench, ${report.date}\n\n`;
  out += `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, Linux ${m.kernel}.\n`;
  out += `${report.settings.visitors} visitors, ${report.settings.text.length}-character messages; paced loads measured ${report.settings.seconds} s after a 2 s warm-up`;
  out += report.settings.rounds ? `, closed loops in ${report.settings.rounds} rounds of ${report.settings.roundSeconds} s after 1.5 s.\n` : '.\n';
  if (report.settings.priority !== 0) out += `Bench processes ran at nice ${report.settings.priority}.\n`;
  out += `Load average before/after: ${report.loadAverage.before.toFixed(2)} / ${report.loadAverage.after?.toFixed(2) ?? '-'}`;
  out += report.loadAverage.before > m.cpus * 0.25
    ? ' (WARNING: the machine was busy with other work; throughput and latency are understated and ratios are noisy).\n\n'
    : '.\n\n';

  const loads: Array<[string, Turns | undefined, Turns | undefined]> = [
    ['closed loop', report.turns, report.echo?.closed],
    ['paced, 50-150 ms pauses', report.moderate, report.echo?.moderate],
    ['paced, 100 ms pauses (lockstep)', report.lockstep, report.echo?.lockstep],
  ];
  if (report.agents && 'turns' in report.agents) loads.push(['closed loop + 20 agents', report.agents, report.echo?.closed]);
  if (report.floor) loads.push(['reference: stored-turn floor, closed loop', report.floor, report.echo?.closed]);
  const rows = loads
    .filter(([, parley]) => parley)
    .map(([name, parley, echo]) => [
      name,
      parley!.rate,
      echo?.rate,
      echo ? (parley!.rate / echo.rate).toFixed(2) : undefined,
      `${parley!.latency.p50} / ${parley!.latency.p99} / ${parley!.latency.p999}`,
      echo ? `${echo.latency.p50} / ${echo.latency.p99} / ${echo.latency.p999}` : undefined,
      `${parley!.serverCpuUsPerTurn} (main ${parley!.serverMainThreadUsPerTurn ?? '-'})`,
      echo?.serverCpuUsPerTurn,
      parley!.clientCpuUsPerTurn,
      echo?.clientCpuUsPerTurn,
      parley!.turnsPerCommit,
      parley!.serverEventLoop ? `${parley!.serverEventLoop.p99.toFixed(1)} / ${parley!.serverEventLoop.max.toFixed(1)}` : undefined,
      parley!.serverGc ? `${parley!.serverGc.count} / ${parley!.serverGc.maxMs.toFixed(1)}` : undefined,
    ]);
  if (rows.length) {
    out += '## Turns over /ws (send -> stored reply) vs the bare ws echo\n\n';
    out += table(
      ['load', 'turns/s', 'echo msg/s', 'ratio', 'p50/p99/p99.9 ms', 'echo p50/p99/p99.9 ms', 'server CPU µs/turn (main thread)', 'echo CPU µs/msg', 'client CPU µs/turn', 'client CPU µs/echo', 'turns/commit', 'loop delay p99/max ms', 'GC pauses / max ms'],
      rows,
    );
    if (report.closedRounds) {
      out += `\nClosed-loop rates are medians of ${report.closedRounds.rounds.length} rounds (the other figures are those of each server's median round);\n`;
      out += 'in each round the echo, the floor and Parley ran one after the other, in an order that rotates.\n';
    }
    if (report.floor) {
      out += '\nThe stored-turn floor is not Parley: a minimal server on the same stack that parses a message, stores it, its answer and\n';
      out += 'the sequence number in one group commit with the `(conversation_id, seq)` index, and sends the `ack` and reply after the commit.\n';
      out += 'It shows what storing a turn costs at all on this machine; Parley adds validation, flows, resends, the agents\' bus and search.\n';
    }
    out += '\n';
  }
  if (report.closedRounds) {
    out += `## Closed-loop rounds: Parley vs the stored-turn floor (median ${report.closedRounds.parleyVsFloor})\n\n`;
    out += table(
      ['round', 'load avg', 'echo msg/s', 'floor turns/s', 'Parley turns/s', 'Parley / floor', 'CPU µs/turn echo / floor / Parley'],
      report.closedRounds.rounds.map((r, i) => [
        i + 1,
        r.loadAverage.toFixed(2),
        r.echo,
        r.floor,
        r.parley,
        r.parleyVsFloor,
        `${r.cpuUsPerTurn.echo} / ${r.cpuUsPerTurn.floor} / ${r.cpuUsPerTurn.parley}`,
      ]),
    );
    out += '\n';
  }
  if (report.memory) {
    const { echo, parley } = report.memory;
    out += '## Memory: idle connections (visitors said hello and got the greeting)\n\n';
    out += table(
      ['server', 'connections', 'RSS before MiB', 'RSS after MiB', 'RSS KB/conn', 'heap KB/conn'],
      [
        ['bare ws echo', echo.connections, echo.rssBeforeMiB, echo.rssAfterMiB, echo.kbPerConnection, echo.heapKbPerConnection],
        ['Parley /ws', parley.connections, parley.rssBeforeMiB, parley.rssAfterMiB, parley.kbPerConnection, parley.heapKbPerConnection],
      ],
    );
    out += '\n';
  }
  if (report.agents) {
    out += '## Agent fan-out\n\n';
    if ('pending' in report.agents) out += `Pending: ${report.agents.pending}.\n\n`;
    else if (report.agents.agents) {
      const a = report.agents.agents;
      out += table(
        ['agents', 'expected deliveries', 'delivered', 'missing', 'p50/p99/p99.9 ms'],
        [[a.agents, a.expected, a.delivered, a.missing, `${a.latency.p50} / ${a.latency.p99} / ${a.latency.p999}`]],
      );
      out += '\n';
    }
    if (report.fanout) {
      const f = report.fanout;
      out += `Closed loop with the dashboards vs without, alternating (median ratio ${f.ratio}, ${f.cpuUsPerFrame} µs of server CPU per delivered agent frame):\n\n`;
      out += table(
        ['round', 'load avg', 'turns/s without', 'turns/s with', 'ratio', 'agent frames', 'frames/turn', 'CPU µs/turn without / with', 'CPU µs per agent frame', 'missing'],
        f.rounds.map((r, i) => [
          i + 1,
          r.loadAverage.toFixed(2),
          r.without,
          r.with,
          r.ratio,
          r.frames,
          r.framesPerTurn,
          `${r.cpuUsPerTurn.without} / ${r.cpuUsPerTurn.with}`,
          r.cpuUsPerFrame,
          r.missing,
        ]),
      );
      out += '\nThe CPU per agent frame is what the window with the dashboards cost beyond its turns at the CPU per turn of the window without them,\n';
      out += 'divided by the frames the dashboards received (messages, conversation summaries).\n\n';
    }
  }
  if (report.widget) {
    const w = report.widget;
    out += '## Widget weight (packages/widget/dist/cdn)\n\n';
    if (!w.present) out += 'Missing: the widget CDN build is not there.\n\n';
    else {
      out += table(
        ['file', 'bytes', 'gzip KB', 'brotli KB'],
        [
          ...w.files.map((f) => [f.file + (f.file === w.launcher?.file ? ' (launcher)' : ''), f.bytes, kb(f.gzip), kb(f.brotli)]),
          ['on opening the chat', w.opening.bytes, kb(w.opening.gzip), kb(w.opening.brotli)],
          ['everything', w.total.bytes, kb(w.total.gzip), kb(w.total.brotli)],
        ],
      );
      out += '\n';
    }
  }
  out += '## Targets\n\n';
  out += table(
    ['measurement', 'figure', 'target', 'result', 'note'],
    report.checks.map((c) => [
      c.name,
      c.figure === undefined ? undefined : `${Number(c.figure.toFixed(2))} ${c.unit}`.trim(),
      c.target,
      c.met === undefined ? 'NOT MEASURED' : c.met ? 'met' : 'MISSED',
      c.note,
    ]),
  );
  if (report.serverFaults) {
    out += `\nServer faults during the turn loads: ${report.serverFaults.unhandledRejections} unhandled rejections, ${report.serverFaults.uncaughtExceptions} uncaught exceptions.\n`;
  }
  return out;
}
