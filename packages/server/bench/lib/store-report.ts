import type { TurnsResult } from '../load.js';
import type { MachineInfo } from './machine.js';
import { table, type Check } from './report.js';
import type { LatencySummary } from './stats.js';

/** The CPU of a window per turn, in microseconds, by component. */
export interface ComponentCpu {
  /** Every Parley node together (all threads). */
  parley: number;
  /** Each node alone. */
  nodes: number[];
  /** The main threads of the nodes together (the event loops). */
  parleyMainThread: number;
  /** The backends serving the nodes' database connections (PostgreSQL only). */
  postgres?: number;
  /** The PostgreSQL cluster's background processes (WAL writer, checkpointer, background writer, autovacuum); shared with any other database of the cluster. */
  postgresBackground?: number;
  /** redis-server (shared with anything else using that Redis). */
  redis?: number;
  /** The load generator (visitors) on the same machine. */
  client: number;
}

/** One deployment in one window: the load's result and what it cost. */
export type StoreFigures = TurnsResult & {
  /** CPU per turn by component. */
  cpuUsPerTurn: ComponentCpu;
  /** Messages stored per turn in the window (PostgreSQL: from the message ids). */
  messagesPerTurn?: number;
  /** Turns per group commit, over every node. */
  turnsPerCommit?: number;
  /** Event-loop delay p99 of the busiest node, in milliseconds. */
  eventLoopP99: number;
  /** PostgreSQL: the database's transactions over the whole load (connecting, warm-up, window, drain). */
  transactions?: TransactionFigures;
};

/** The deployments the store bench compares. */
export type DeploymentName = 'floor' | 'sqlite' | 'postgres1' | 'postgres3';

/** One round of the closed loops: each deployment's turns/s in windows side by side. */
export interface StoreRound {
  loadAverage: number;
  rates: Record<DeploymentName, number>;
  sqliteVsFloor: number;
  postgres1VsSqlite: number;
  postgres3VsPostgres1: number;
  /** PostgreSQL transactions per stored message in the round, one node and three. */
  transactionsPerMessage: { postgres1?: number; postgres3?: number };
}

/** A PostgreSQL deployment's transactions per stored message over its closed loops. */
export interface TransactionFigures {
  transactions: number;
  messages: number;
  perMessage: number;
  /** Group commits of the nodes over the same span (write transactions). */
  groupCommits: number;
}

/** The cross-node delivery: visitors on node A, agent dashboards on node B. */
export interface CrossNodeFigures {
  visitors: number;
  agents: number;
  /** Visitor messages per second in the window (sent), and turns per second answered. */
  messagesPerSecond: number;
  turnsPerSecond: number;
  /** From a visitor's send on A to an agent's receipt on B. */
  latency: LatencySummary;
  delivered: number;
  expected: number;
  missing: number;
  closed: number[];
  /** The visitors' own send -> stored reply on A. */
  visitorLatency: LatencySummary;
  /** CPU per visitor message by component (all three nodes). */
  cpuUsPerMessage: ComponentCpu;
}

/** The SQLite figures before the PostgreSQL work, from docs/performance.md (another run, another day). */
export interface SqliteReference {
  commit: string;
  source: string;
  parleyVsFloor: number[];
  cpuUsPerTurn: number;
}

/** Everything one `pnpm bench --store postgres` run measured; written as `bench/results/<date>-postgres.json`. */
export interface StoreReport {
  date: string;
  machine: MachineInfo;
  settings: { visitors: number; rounds: number; roundSeconds: number; seconds: number; crossNodeAgents: number; text: string; priority: number };
  loadAverage: { before: number; after?: number };
  /** Each deployment's figures of its median round, with the median rate of all rounds. */
  closed?: Partial<Record<DeploymentName, StoreFigures>>;
  rounds?: StoreRound[];
  ratios?: { sqliteVsFloor: number; postgres1VsSqlite: number; postgres3VsPostgres1: number };
  transactions?: Partial<Record<'postgres1' | 'postgres3', TransactionFigures>>;
  crossNode?: CrossNodeFigures;
  sqliteReference: SqliteReference;
  faults: string[];
  checks: Check[];
}

const LABELS: Record<DeploymentName, string> = {
  floor: 'reference: stored-turn floor (SQLite)',
  sqlite: 'Parley, SQLite, 1 node',
  postgres1: 'Parley, PostgreSQL + Redis, 1 node',
  postgres3: 'Parley, PostgreSQL + Redis, 3 nodes',
};

const dash = (value: number | undefined, digits = 1) => (value === undefined ? undefined : value.toFixed(digits));
const latency = (l: LatencySummary) => `${l.p50} / ${l.p99} / ${l.p999}`;

/** The run as Markdown: the deployments side by side, CPU by component, transactions, cross-node delivery, targets. */
export function formatStoreReport(report: StoreReport): string {
  const m = report.machine;
  const s = report.settings;
  let out = `# Parley bench --store postgres, ${report.date}\n\n`;
  out += `Machine: ${m.cpus} CPUs (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, Linux ${m.kernel}.\n`;
  out += `${s.visitors} visitors, ${s.text.length}-character messages; closed loops in ${s.rounds} rounds of ${s.roundSeconds} s after 1.5 s, `;
  out += `the cross-node load measured ${s.seconds} s after 2 s.\n`;
  if (s.priority !== 0) out += `Bench processes ran at nice ${s.priority}.\n`;
  out += `Load average before/after: ${report.loadAverage.before.toFixed(2)} / ${report.loadAverage.after?.toFixed(2) ?? '-'}`;
  out += report.loadAverage.before > m.cpus * 0.25 ? ' (WARNING: the machine was busy with other work; figures are understated and ratios noisy).\n\n' : '.\n\n';

  if (report.closed && report.ratios) {
    const base = report.closed.sqlite?.rate;
    out += '## Closed loop: turns over /ws by store and nodes\n\n';
    out += table(
      ['deployment', 'turns/s', 'vs SQLite', 'p50/p99/p99.9 ms', 'server CPU µs/turn (main threads)', 'per node', 'messages/turn', 'turns/commit', 'loop delay p99 ms'],
      (Object.keys(LABELS) as DeploymentName[])
        .filter((name) => report.closed![name])
        .map((name) => {
          const f = report.closed![name]!;
          return [
            LABELS[name],
            f.rate,
            base ? (f.rate / base).toFixed(2) : undefined,
            latency(f.latency),
            `${f.cpuUsPerTurn.parley} (${f.cpuUsPerTurn.parleyMainThread})`,
            f.cpuUsPerTurn.nodes.length > 1 ? f.cpuUsPerTurn.nodes.join(' + ') : undefined,
            dash(f.messagesPerTurn, 2),
            f.turnsPerCommit,
            f.eventLoopP99.toFixed(1),
          ];
        }),
    );
    out += `\nTurns/s are medians of ${s.rounds} rounds; the other figures are each deployment's median round. In each round the four ran one after\n`;
    out += 'the other in a rotating order; the ratios below are medians of the per-round ratios. Three nodes: the visitors spread round-robin.\n\n';

    out += '## CPU per turn by component (µs, median round)\n\n';
    out += table(
      ['deployment', 'Parley nodes', 'PostgreSQL backends', 'PostgreSQL background', 'Redis', 'server side total', 'load generator', 'per stored message (server side)'],
      (['sqlite', 'postgres1', 'postgres3'] as const)
        .filter((name) => report.closed![name])
        .map((name) => {
          const f = report.closed![name]!;
          const c = f.cpuUsPerTurn;
          const total = c.parley + (c.postgres ?? 0) + (c.postgresBackground ?? 0) + (c.redis ?? 0);
          return [LABELS[name], c.parley, dash(c.postgres), dash(c.postgresBackground), dash(c.redis), total.toFixed(1), c.client, f.messagesPerTurn ? (total / f.messagesPerTurn).toFixed(1) : undefined];
        }),
    );
    out += '\nPostgreSQL backends: the processes serving the deployment\'s database connections (`pg_stat_activity`), their CPU from `/proc/<pid>/stat`.\n';
    out += 'PostgreSQL background: the cluster\'s WAL writer, checkpointer, background writer and autovacuum, and Redis: `redis-server`; both shared\n';
    out += 'with any other work on this machine. 10 ms resolution per process.\n\n';

    out += '## Rounds\n\n';
    out += table(
      ['round', 'load avg', 'floor', 'SQLite', 'PG 1 node', 'PG 3 nodes', 'SQLite / floor', 'PG 1 / SQLite', 'PG 3 / PG 1', 'transactions/message PG 1 / PG 3'],
      (report.rounds ?? []).map((r, i) => [
        i + 1,
        r.loadAverage.toFixed(2),
        r.rates.floor,
        r.rates.sqlite,
        r.rates.postgres1,
        r.rates.postgres3,
        r.sqliteVsFloor,
        r.postgres1VsSqlite,
        r.postgres3VsPostgres1,
        `${r.transactionsPerMessage.postgres1 ?? '-'} / ${r.transactionsPerMessage.postgres3 ?? '-'}`,
      ]),
    );
    out += `\nMedians: SQLite / floor ${report.ratios.sqliteVsFloor}, PostgreSQL 1 node / SQLite ${report.ratios.postgres1VsSqlite}, 3 nodes / 1 node ${report.ratios.postgres3VsPostgres1}.\n\n`;
  }
  if (report.transactions) {
    out += '## PostgreSQL transactions per stored message\n\n';
    out += table(
      ['deployment', 'transactions', 'messages stored', 'per message', 'group commits'],
      (['postgres1', 'postgres3'] as const)
        .filter((name) => report.transactions![name])
        .map((name) => {
          const t = report.transactions![name]!;
          return [LABELS[name], t.transactions, t.messages, t.perMessage.toFixed(4), t.groupCommits];
        }),
    );
    out += '\n`pg_stat_database` (xact_commit + xact_rollback) of the deployment\'s own database, summed over its closed-loop runs: each from\n';
    out += 'before its visitors connect to over a second after the load ended and the nodes went idle (a backend publishes its counts\n';
    out += 'within a second of going idle), so connecting, warm-up, window and drain; over the messages stored in the same spans\n';
    out += '(`count(*)`). The bench\'s own queries are taken off.\n\n';
  }
  if (report.crossNode) {
    const x = report.crossNode;
    out += '## Cross-node delivery: visitors on node A, agent dashboards on node B\n\n';
    out += table(
      ['visitor msg/s', 'turns/s', 'agents', 'delivered / expected', 'missing', 'A -> B p50/p99/p99.9 ms', 'max ms', 'visitor turn p50/p99/p99.9 ms', 'CPU µs per visitor message: nodes / PG / PG bg / Redis'],
      [
        [
          x.messagesPerSecond,
          x.turnsPerSecond,
          x.agents,
          `${x.delivered} / ${x.expected}`,
          x.missing,
          latency(x.latency),
          x.latency.max,
          latency(x.visitorLatency),
          `${x.cpuUsPerMessage.parley} / ${dash(x.cpuUsPerMessage.postgres)} / ${dash(x.cpuUsPerMessage.postgresBackground)} / ${dash(x.cpuUsPerMessage.redis)}`,
        ],
      ],
    );
    out += `\n${x.visitors} visitors on node A pausing 50-150 ms after each reply; each visitor message id carries its send time, and the\n`;
    out += `dashboards on node B (signed in there) time its arrival. The three nodes of the 3-node deployment run; the third serves nothing here.\n\n`;
  }
  const ref = report.sqliteReference;
  const sqlite = report.closed?.sqlite;
  out += '## SQLite against before the PostgreSQL work (across runs: not a same-run ratio)\n\n';
  out += table(
    ['figure', `before (${ref.commit}, ${ref.source})`, 'this run', 'change'],
    [
      ['Parley / stored-turn floor, median of rounds', ref.parleyVsFloor.join(' and '), report.ratios?.sqliteVsFloor, report.ratios ? `${(((report.ratios.sqliteVsFloor / Math.max(...ref.parleyVsFloor)) - 1) * 100).toFixed(0)} % against the better run` : undefined],
      ['server CPU µs per turn, median round', ref.cpuUsPerTurn, sqlite?.cpuUsPerTurn.parley, sqlite ? `${((sqlite.cpuUsPerTurn.parley / ref.cpuUsPerTurn - 1) * 100).toFixed(0)} %` : undefined],
      ['turns/s', 'not recorded', sqlite?.rate, undefined],
    ],
  );
  out += '\nThe reference ran on another day under another load: the floor ratio is the comparable figure (both sides see the same machine\n';
  out += 'within a run); turns/s and CPU per turn move with the machine\'s load. Not a target the bench checks.\n\n';

  out += '## Targets\n\n';
  out += table(
    ['measurement', 'figure', 'target', 'result', 'note'],
    report.checks.map((c) => [
      c.name,
      c.figure === undefined ? undefined : `${Number(c.figure.toFixed(3))} ${c.unit}`.trim(),
      c.target,
      c.met === undefined ? 'NOT MEASURED' : c.met ? 'met' : 'MISSED',
      c.note,
    ]),
  );
  if (report.faults.length) out += `\nServer faults: ${report.faults.length}.\n`;
  return out;
}
