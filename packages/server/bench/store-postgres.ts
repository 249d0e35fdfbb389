import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { AgentsJob, TurnsJob, TurnsResult } from './load.js';
import { agentTokens } from './lib/agents.js';
import { BenchDatabase } from './lib/bench-database.js';
import { benchModule, forkModule, nextMessage, request, stop, type ChildMessage } from './lib/children.js';
import {
  deploymentFaults,
  sampleDeployment,
  settleDeployment,
  startDeployment,
  stopDeployment,
  type Deployment,
  type DeploymentSample,
} from './lib/deployments.js';
import { machineInfo } from './lib/machine.js';
import { cpuBetween } from './lib/process-cpu.js';
import { RedisScope } from './lib/redis-scope.js';
import type { Check } from './lib/report.js';
import { startServerChild, type RunningServer } from './lib/servers.js';
import { median, round } from './lib/stats.js';
import {
  formatStoreReport,
  type ComponentCpu,
  type CrossNodeFigures,
  type DeploymentName,
  type SqliteReference,
  type StoreFigures,
  type StoreReport,
  type StoreRound,
  type TransactionFigures,
} from './lib/store-report.js';
import { measureLoad } from './lib/turn-runs.js';

/**
 * `pnpm bench --store postgres`: Parley on PostgreSQL and Redis with one node and with three,
 * beside Parley on SQLite and the stored-turn floor in the same run.
 *
 * - Closed-loop turns/s (measurement 1's 200 visitors on `flows/turns.json`) of the floor,
 *   SQLite, PostgreSQL with one node and PostgreSQL with three (the visitors spread round-robin),
 *   in short rounds whose order rotates; the targets are checked on medians of per-round ratios.
 * - CPU per turn by component: the Parley nodes (`process.cpuUsage`), the PostgreSQL backends
 *   serving the deployment's database and the cluster's background processes, and `redis-server`
 *   (both from `/proc`).
 * - Transactions per stored message on PostgreSQL (`pg_stat_database` over the whole closed-loop
 *   run of each deployment).
 * - Cross-node delivery: visitors on node A at about 2,000 messages/s, agent dashboards on node B;
 *   p50/p99 from the visitor's send to the agent's receipt.
 *
 * Each PostgreSQL deployment gets a fresh database (created and dropped) and a Redis key prefix
 * of its own (deleted at the end).
 */
export interface StoreBenchOptions {
  rounds: number;
  roundMs: number;
  /** Measuring window of the cross-node load. */
  seconds: number;
  /** The maintenance database of the PostgreSQL server (`postgres://…/postgres`). */
  postgresUrl: string;
  redisUrl: string;
  flowFile: string;
  /** Where the nodes' data folders go (removed by the caller). */
  scratch: string;
  /** Where `bench/results/` is; nothing is written when undefined. */
  resultsDir?: string;
  /** Write V8 CPU profiles of each Parley node under this folder. */
  cpuProf?: string;
  priority: number;
  log: (line: string) => void;
}

const VISITORS = 200;
const CROSS_NODE_AGENTS = 2;
const TEXT = 'Hi! My order #48213 has not arrived yet. Could you check where it is?';
const ROUND_WARMUP_MS = 1500;
/** Target: PostgreSQL on one node at least this share of SQLite's closed-loop turns/s. */
const POSTGRES_VS_SQLITE_TARGET = 0.25;
/** Target: at most this many database transactions per stored message at saturation. */
const TRANSACTIONS_PER_MESSAGE_TARGET = 0.1;
/** Target: three nodes at least this share of one node's turns/s (on two cores: no collapse). */
const THREE_VS_ONE_TARGET = 0.9;
/** Target: p99 from a visitor's send on node A to an agent's receipt on node B, in milliseconds. */
const CROSS_NODE_P99_TARGET = 30;

/** The SQLite figures before the PostgreSQL work (`pnpm bench --only turns`, two runs of the same commit). */
export const SQLITE_BEFORE: SqliteReference = {
  commit: '4878a54',
  source: 'docs/performance.md, "Before and after the two-database data layer"',
  parleyVsFloor: [0.594, 0.7],
  cpuUsPerTurn: 93.6,
};

const closedLoop = (urls: string[], roundMs: number): TurnsJob => ({
  kind: 'turns',
  url: urls[0]!,
  ...(urls.length > 1 ? { urls } : {}),
  target: 'parley',
  visitors: VISITORS,
  warmupMs: ROUND_WARMUP_MS,
  durationMs: roundMs,
  pauseMs: 0,
  text: TEXT,
});

/** CPU per `per` (turns or messages) by component between two samples of a deployment. */
function componentCpu(deployment: Deployment, before: DeploymentSample, after: DeploymentSample, result: TurnsResult, per: number): ComponentCpu {
  const each = (us: number) => round(us / Math.max(1, per), 1);
  const nodes = after.nodes.map((usage, i) => usage.cpuUs - before.nodes[i]!.cpuUs);
  const main = after.nodes.reduce((sum, usage, i) => sum + usage.mainThreadCpuUs - before.nodes[i]!.mainThreadCpuUs, 0);
  return {
    parley: each(nodes.reduce((a, b) => a + b, 0)),
    nodes: nodes.map(each),
    parleyMainThread: each(main),
    ...(deployment.database
      ? {
          postgres: each(cpuBetween(before.postgresBackends, after.postgresBackends)),
          postgresBackground: each(cpuBetween(before.postgresBackground, after.postgresBackground)),
        }
      : {}),
    ...(deployment.redis ? { redis: each(cpuBetween(before.redis, after.redis)) } : {}),
    client: round((result.clientCpuUsPerTurn * result.turns) / Math.max(1, per), 1),
  };
}

/** Group commits of every node of the deployment so far. */
async function commitsOf(deployment: Deployment): Promise<number> {
  return (await Promise.all(deployment.nodes.map((node) => node.usage()))).reduce((sum, usage) => sum + usage.commits, 0);
}

/** A deployment's database transactions, stored messages and group commits, read at one moment. */
async function databaseCounts(deployment: Deployment): Promise<TransactionFigures> {
  const database = deployment.database!;
  const transactions = await database.transactions();
  return { transactions, messages: await database.messages('count'), groupCommits: await commitsOf(deployment), perMessage: 0 };
}

/** PostgreSQL publishes an idle backend's transaction counts within a second. */
const STATS_PUBLISHED_MS = 1100;

/**
 * One closed-loop window of a deployment, then its background work left to finish. On
 * PostgreSQL the database's transactions are counted from before the load connects (the nodes
 * have been idle for seconds) until over a second after it ended and the nodes went idle.
 */
async function closedWindow(deployment: Deployment, roundMs: number): Promise<StoreFigures> {
  const job = closedLoop(
    deployment.nodes.map((node) => node.ws('/ws')),
    roundMs,
  );
  const countsBefore = deployment.database ? await databaseCounts(deployment) : undefined;
  const { result, before, after } = await measureLoad(job, () => sampleDeployment(deployment));
  const ended = Date.now();
  await settleDeployment(deployment);
  let transactions: TransactionFigures | undefined;
  if (countsBefore) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, ended + STATS_PUBLISHED_MS - Date.now())));
    const countsAfter = await databaseCounts(deployment);
    transactions = {
      transactions: countsAfter.transactions - countsBefore.transactions,
      messages: countsAfter.messages - countsBefore.messages,
      groupCommits: countsAfter.groupCommits - countsBefore.groupCommits,
      perMessage: 0,
    };
    transactions.perMessage = round(transactions.transactions / Math.max(1, transactions.messages), 4);
  }
  const commits = after.nodes.reduce((sum, usage, i) => sum + usage.commits - before.nodes[i]!.commits, 0);
  const messages = after.lastMessageId !== undefined && before.lastMessageId !== undefined ? after.lastMessageId - before.lastMessageId : undefined;
  return {
    ...result,
    cpuUsPerTurn: componentCpu(deployment, before, after, result, result.turns),
    ...(messages !== undefined ? { messagesPerTurn: round(messages / Math.max(1, result.turns), 2) } : {}),
    ...(commits > 0 ? { turnsPerCommit: round(result.turns / commits, 2) } : {}),
    eventLoopP99: Math.max(...after.nodes.map((usage) => usage.eventLoop.p99)),
    ...(transactions ? { transactions } : {}),
  };
}

/** The floor has no Parley usage beyond its own process: measured as a one-node deployment without services. */
async function floorWindow(floor: RunningServer, roundMs: number): Promise<StoreFigures> {
  return closedWindow({ name: 'floor', nodes: [floor] }, roundMs);
}

/**
 * Visitors on node A at about 2,000 messages/s, agent dashboards signed in on node B: every
 * visitor message reaches B through Redis, and the dashboards time it from the id's send stamp.
 */
async function crossNode(deployment: Deployment, seconds: number): Promise<CrossNodeFigures> {
  const [a, b] = deployment.nodes as [RunningServer, RunningServer];
  const tokens = await agentTokens(b, CROSS_NODE_AGENTS);
  if (!tokens) throw new Error('this build has no agent channel (/ws/agent)');
  const job: AgentsJob = { kind: 'agents', url: b.ws('/ws/agent'), tokens };
  const dashboards = forkModule(benchModule('load.ts'), job);
  try {
    const connected = await nextMessage<ChildMessage>(dashboards, (m) => m.type === 'connected' || m.type === 'failed', 30_000, 'the agent dashboards');
    if (connected.type === 'failed') throw new Error(`agent dashboards failed: ${String(connected.message)}`);
    const visitors: TurnsJob = {
      kind: 'turns',
      url: a.ws('/ws'),
      target: 'parley',
      visitors: VISITORS,
      warmupMs: 2000,
      durationMs: seconds * 1000,
      pauseMs: 100,
      pauseSpread: 0.5,
      text: TEXT,
      stampIds: true,
    };
    const { result, before, after } = await measureLoad(visitors, () => sampleDeployment(deployment, false));
    // Wait until the dashboards stop receiving (the last copies of the window's messages).
    let delivered = -1;
    for (let i = 0; i < 20; i++) {
      const now = (await request<{ type: 'count'; delivered: number }>(dashboards, { type: 'count' })).delivered;
      if (now === delivered) break;
      delivered = now;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    const seen = await request<{ type: 'agents'; agents: number; delivered: number; latency: CrossNodeFigures['latency']; closed: number[] }>(dashboards, {
      type: 'report',
      start: result.window.start,
      end: result.window.end,
    });
    const expected = result.window.sends * seen.agents;
    return {
      visitors: VISITORS,
      agents: seen.agents,
      messagesPerSecond: round(result.window.sends / result.seconds, 1),
      turnsPerSecond: result.rate,
      latency: seen.latency,
      delivered: seen.delivered,
      expected,
      missing: expected - seen.delivered,
      closed: seen.closed,
      visitorLatency: result.latency,
      cpuUsPerMessage: componentCpu(deployment, before, after, result, result.window.sends),
    };
  } finally {
    await stop(dashboards);
  }
}

/** Runs the store bench; resolves with the exit status (1 when a target is missed or a node faulted). */
export async function runStoreBench(options: StoreBenchOptions): Promise<number> {
  const { log } = options;
  const checks: Check[] = [];
  const check = (name: string, figure: number | undefined, op: '>=' | '<=', target: number, unit: string, note?: string) => {
    const met = figure === undefined ? undefined : op === '>=' ? figure >= target : figure <= target;
    checks.push({ name, figure, unit, target: `${op} ${target}`, met, ...(note ? { note } : {}) });
  };
  const report: StoreReport = {
    date: new Date().toISOString(),
    machine: machineInfo(),
    settings: {
      visitors: VISITORS,
      rounds: options.rounds,
      roundSeconds: options.roundMs / 1000,
      seconds: options.seconds,
      crossNodeAgents: CROSS_NODE_AGENTS,
      text: TEXT,
      priority: options.priority,
    },
    loadAverage: { before: loadavg()[0]! },
    sqliteReference: SQLITE_BEFORE,
    faults: [],
    checks,
  };
  const profile = (name: string) => (i: number) => (options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${join(options.cpuProf, `${name}-${i}`)}`] : []);

  const redis = [new RedisScope(options.redisUrl), new RedisScope(options.redisUrl)] as const;
  if (!(await redis[0].reachable())) throw new Error(`Redis does not answer at ${options.redisUrl}`);
  const databases: BenchDatabase[] = [];
  const deployments: Deployment[] = [];
  let floor: RunningServer | undefined;
  try {
    const one = await BenchDatabase.create(options.postgresUrl, 'one');
    databases.push(one);
    const three = await BenchDatabase.create(options.postgresUrl, 'three');
    databases.push(three);
    log(`databases ${one.name} and ${three.name}; Redis prefixes ${redis[0].prefix} and ${redis[1].prefix}`);

    floor = await startServerChild({ kind: 'floor', dataDir: mkdtempSync(join(options.scratch, 'floor-')) });
    const common = { scratch: options.scratch, flowFile: options.flowFile };
    const sqlite = await startDeployment({ ...common, name: 'sqlite', nodes: 1, execArgv: profile('sqlite') });
    deployments.push(sqlite);
    const postgres1 = await startDeployment({ ...common, name: 'postgres1', nodes: 1, database: one, redis: redis[0], execArgv: profile('postgres1') });
    deployments.push(postgres1);
    const postgres3 = await startDeployment({ ...common, name: 'postgres3', nodes: 3, database: three, redis: redis[1], execArgv: profile('postgres3') });
    deployments.push(postgres3);

    log(`cross-node delivery: ${VISITORS} visitors on node A at about 2,000 messages/s, ${CROSS_NODE_AGENTS} agent dashboards on node B`);
    const cross = await crossNode(postgres3, options.seconds);
    report.crossNode = cross;
    log(`cross-node: ${cross.messagesPerSecond} msg/s, A -> B p50 ${cross.latency.p50} ms, p99 ${cross.latency.p99} ms, ${cross.missing} missing`);
    await settleDeployment(postgres3);

    const runs: Array<[DeploymentName, () => Promise<StoreFigures>]> = [
      ['floor', () => floorWindow(floor!, options.roundMs)],
      ['sqlite', () => closedWindow(sqlite, options.roundMs)],
      ['postgres1', () => closedWindow(postgres1, options.roundMs)],
      ['postgres3', () => closedWindow(postgres3, options.roundMs)],
    ];
    const rounds: Array<StoreRound & { figures: Record<DeploymentName, StoreFigures> }> = [];
    for (let r = 0; r < options.rounds; r++) {
      const loadAverage = loadavg()[0]!;
      const figures = {} as Record<DeploymentName, StoreFigures>;
      for (let i = 0; i < runs.length; i++) {
        const [name, run] = runs[(r + i) % runs.length]!;
        figures[name] = await run();
      }
      const rates = { floor: figures.floor.rate, sqlite: figures.sqlite.rate, postgres1: figures.postgres1.rate, postgres3: figures.postgres3.rate };
      const round_ = {
        loadAverage,
        rates,
        sqliteVsFloor: round(rates.sqlite / rates.floor),
        postgres1VsSqlite: round(rates.postgres1 / rates.sqlite),
        postgres3VsPostgres1: round(rates.postgres3 / rates.postgres1),
        transactionsPerMessage: { postgres1: figures.postgres1.transactions?.perMessage, postgres3: figures.postgres3.transactions?.perMessage },
        figures,
      };
      rounds.push(round_);
      log(
        `round ${r + 1}/${options.rounds} (load average ${loadAverage.toFixed(2)}): floor ${rates.floor}, SQLite ${rates.sqlite}, ` +
          `PostgreSQL 1 node ${rates.postgres1} (${round_.postgres1VsSqlite} of SQLite), 3 nodes ${rates.postgres3} (${round_.postgres3VsPostgres1} of 1 node) turns/s`,
      );
    }
    const medianRound = (name: DeploymentName): StoreFigures => {
      const sorted = [...rounds].sort((x, y) => x.rates[name] - y.rates[name]);
      return { ...sorted[(sorted.length - 1) >> 1]!.figures[name], rate: median(rounds.map((x) => x.rates[name])) };
    };
    report.closed = { floor: medianRound('floor'), sqlite: medianRound('sqlite'), postgres1: medianRound('postgres1'), postgres3: medianRound('postgres3') };
    report.rounds = rounds.map(({ figures: _figures, ...rest }) => rest);
    report.ratios = {
      sqliteVsFloor: round(median(rounds.map((x) => x.sqliteVsFloor))),
      postgres1VsSqlite: round(median(rounds.map((x) => x.postgres1VsSqlite))),
      postgres3VsPostgres1: round(median(rounds.map((x) => x.postgres3VsPostgres1))),
    };

    for (const deployment of deployments) report.faults.push(...deploymentFaults(deployment));
    const transactions = (name: 'postgres1' | 'postgres3'): TransactionFigures => {
      const sum = (key: 'transactions' | 'messages' | 'groupCommits') => rounds.reduce((n, x) => n + (x.figures[name].transactions?.[key] ?? 0), 0);
      const figures = { transactions: sum('transactions'), messages: sum('messages'), groupCommits: sum('groupCommits') };
      return { ...figures, perMessage: round(figures.transactions / Math.max(1, figures.messages), 4) };
    };
    report.transactions = { postgres1: transactions('postgres1'), postgres3: transactions('postgres3') };

    const c = report.closed;
    const cpu = (f: StoreFigures) => `${f.cpuUsPerTurn.parley} µs/turn`;
    check(
      'PostgreSQL 1 node turns/s vs SQLite',
      report.ratios.postgres1VsSqlite,
      '>=',
      POSTGRES_VS_SQLITE_TARGET,
      'x',
      `median of ${options.rounds} rounds; ${c.postgres1!.rate} vs ${c.sqlite!.rate} turns/s; Parley CPU ${cpu(c.postgres1!)} vs ${cpu(c.sqlite!)}`,
    );
    check(
      'PostgreSQL transactions per stored message',
      report.transactions.postgres1!.perMessage,
      '<=',
      TRANSACTIONS_PER_MESSAGE_TARGET,
      '',
      `1 node, every closed-loop round; 3 nodes: ${report.transactions.postgres3!.perMessage}`,
    );
    check(
      'PostgreSQL 3 nodes turns/s vs 1 node',
      report.ratios.postgres3VsPostgres1,
      '>=',
      THREE_VS_ONE_TARGET,
      'x',
      `median of ${options.rounds} rounds; ${c.postgres3!.rate} vs ${c.postgres1!.rate} turns/s on ${report.machine.cpus} cores`,
    );
    check('cross-node p99, visitor on A -> agent on B', cross.latency.p99, '<=', CROSS_NODE_P99_TARGET, 'ms', `at ${cross.messagesPerSecond} visitor msg/s; p50 ${cross.latency.p50} ms`);
    checks.push({
      name: 'cross-node deliveries',
      figure: cross.missing,
      unit: 'missing',
      target: '= 0',
      met: cross.missing === 0 && cross.expected > 0,
      note: `${cross.delivered}/${cross.expected}${cross.closed.length ? `, ${cross.closed.length} agent sockets closed` : ''}`,
    });
    checks.push({
      name: 'SQLite vs before the PostgreSQL work',
      figure: report.ratios.sqliteVsFloor,
      unit: 'of the floor',
      target: `within 5 % of ${Math.max(...SQLITE_BEFORE.parleyVsFloor)}`,
      met: undefined,
      note: 'across runs on a shared machine: reported, not checked (see the table above)',
    });
  } finally {
    await Promise.allSettled([...deployments.map((d) => stopDeployment(d)), floor?.stop()]);
    await Promise.allSettled(databases.map((d) => d.drop()));
    const cleared = await Promise.all(redis.map((scope) => scope.clear().catch(() => -1)));
    log(`dropped the databases; deleted ${cleared.filter((n) => n >= 0).reduce((a, b) => a + b, 0)} Redis keys`);
  }

  report.loadAverage.after = loadavg()[0]!;
  const text = formatStoreReport(report);
  process.stdout.write(text);
  if (options.resultsDir) {
    mkdirSync(options.resultsDir, { recursive: true });
    const day = report.date.slice(0, 10);
    writeFileSync(join(options.resultsDir, `${day}-postgres.json`), JSON.stringify(report, null, 2) + '\n');
    writeFileSync(join(options.resultsDir, `${day}-postgres.md`), text);
    log(`wrote bench/results/${day}-postgres.json and .md`);
  }
  if (report.faults.length) log(`the nodes reported ${report.faults.length} unhandled rejections or exceptions:\n${report.faults.slice(0, 5).join('\n')}`);
  return checks.some((c) => c.met === false) || report.faults.length > 0 ? 1 : 0;
}
