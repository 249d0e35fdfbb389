import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { ServerUsage } from '../server-child.js';
import { BENCH_ADMIN_PASSWORD } from './agents.js';
import type { BenchDatabase } from './bench-database.js';
import { cpuSnapshot, findProcesses, type CpuSnapshot } from './process-cpu.js';
import type { RedisScope } from './redis-scope.js';
import { startServerChild, type RunningServer } from './servers.js';
import { benchLimits, settle } from './turn-runs.js';

/**
 * One deployment the store bench measures: Parley on SQLite (one node), or on PostgreSQL and
 * Redis with one or several nodes sharing a database and a key prefix.
 */
export interface Deployment {
  name: string;
  nodes: RunningServer[];
  /** The PostgreSQL database of the nodes (none on SQLite). */
  database?: BenchDatabase;
  redis?: RedisScope;
}

/** What the bench reads at each end of a measuring window: every node's usage and the shared services' CPU. */
export interface DeploymentSample {
  nodes: ServerUsage[];
  /** CPU of the database's backends (the processes serving the nodes' connections). */
  postgresBackends: CpuSnapshot;
  /** CPU of the PostgreSQL cluster's background processes (WAL writer, checkpointer, background writer, autovacuum). */
  postgresBackground: CpuSnapshot;
  redis: CpuSnapshot;
  /** The highest message id stored (PostgreSQL only). */
  lastMessageId?: number;
}

/** The cluster's background processes, by their titles (`postgres: 15/main: walwriter`). */
const POSTGRES_BACKGROUND = /^postgres: .*(walwriter|checkpointer|background writer|autovacuum)/;
const REDIS_SERVER = /^redis-server\b|\/redis-server\b/;

/** Starts Parley nodes for a deployment: the first alone (it migrates and creates the owner), then the others together. */
export async function startDeployment(options: {
  name: string;
  nodes: number;
  scratch: string;
  flowFile: string;
  database?: BenchDatabase;
  redis?: RedisScope;
  /** Extra Node flags for node `i` (its `--cpu-prof` folder). */
  execArgv?: (i: number) => string[];
}): Promise<Deployment> {
  const secret = randomBytes(32).toString('hex');
  const start = (i: number) =>
    startServerChild(
      {
        kind: 'parley',
        dataDir: mkdtempSync(join(options.scratch, `${options.name}-${i}-`)),
        flowFile: options.flowFile,
        logLevel: 'warn',
        limits: benchLimits,
        adminPassword: BENCH_ADMIN_PASSWORD,
        secret,
        ...(options.database ? { databaseUrl: options.database.url } : {}),
        ...(options.redis ? { redisUrl: options.redis.url, redisPrefix: options.redis.prefix } : {}),
      },
      { execArgv: options.execArgv?.(i) ?? [] },
    );
  const first = await start(0);
  const rest = await Promise.allSettled(Array.from({ length: options.nodes - 1 }, (_, i) => start(i + 1)));
  const started = [first, ...rest.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))];
  const failed = rest.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((node) => node.stop()));
    throw (failed as PromiseRejectedResult).reason;
  }
  return { name: options.name, nodes: started, ...(options.database ? { database: options.database } : {}), ...(options.redis ? { redis: options.redis } : {}) };
}

const redisPids = findProcesses(REDIS_SERVER);

/** Reads every node's usage and the shared services' CPU now. */
export async function sampleDeployment(deployment: Deployment, withLastMessage = true): Promise<DeploymentSample> {
  const [nodes, backends, lastMessageId] = await Promise.all([
    Promise.all(deployment.nodes.map((node) => node.usage())),
    deployment.database ? deployment.database.backends() : Promise.resolve([]),
    deployment.database && withLastMessage ? deployment.database.messages('lastId') : Promise.resolve(undefined),
  ]);
  return {
    nodes,
    postgresBackends: cpuSnapshot(backends),
    postgresBackground: deployment.database ? cpuSnapshot(findProcesses(POSTGRES_BACKGROUND)) : new Map(),
    redis: deployment.redis ? cpuSnapshot(redisPids) : new Map(),
    ...(lastMessageId !== undefined ? { lastMessageId } : {}),
  };
}

/** Waits until every node of the deployment is idle (see `settle`). */
export async function settleDeployment(deployment: Deployment): Promise<void> {
  await Promise.all(deployment.nodes.map((node) => settle(node)));
}

/** Every fault the deployment's nodes reported. */
export function deploymentFaults(deployment: Deployment): string[] {
  return deployment.nodes.flatMap((node) => node.faults);
}

/** Stops every node of the deployment. */
export async function stopDeployment(deployment: Deployment): Promise<void> {
  await Promise.all(deployment.nodes.map((node) => node.stop()));
}
