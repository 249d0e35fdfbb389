import { randomBytes } from 'node:crypto';
import { BenchDatabase, postgresAdminUrl } from '../lib/bench-database.js';
import { PrivateRedis } from '../lib/redis-server.js';
import { RoundRobinProxy } from '../lib/round-robin-proxy.js';
import { DrillAgent } from './agent.js';
import {
  agentsComplete,
  judgeAgents,
  judgeVisitors,
  judgeWebhooks,
  pendingDeliveries,
  readStored,
  type AgentsVerdict,
  type StoredState,
  type WebhooksVerdict,
} from './check-nodes.js';
import type { DeliveryVerdict } from './check.js';
import { DrillCluster } from './cluster.js';
import { drillLimits } from './kill.js';
import { setUpTenants } from './tenants.js';
import { DrillVisitor, drillVisitorDefaults, type DrillVisitorOptions } from './visitor.js';
import { WebhookSink } from './webhook-sink.js';

export interface NodesDrillOptions {
  nodes: number;
  visitors: number;
  messages: number;
  /** A random node is killed (SIGKILL) after a random delay in this range, in milliseconds. */
  killEveryMs: [number, number];
  /** Stop killing after this many kills. */
  maxKills?: number;
  /** Redis is restarted once, when this share of all messages is acknowledged. */
  redisRestartAt: number;
  /** The visitors must be done by then (from the start), or the drill fails. */
  deadlineMs: number;
  /** After the visitors: how long webhooks and dashboards get to catch up. */
  settleMs: number;
  companies: number;
  agentsPerCompany: number;
  /** How long a node's webhook lease lasts unless renewed (a dead node's endpoints wait that long). */
  webhookLeaseMs: number;
  fromSource?: boolean;
  visitor?: Partial<DrillVisitorOptions>;
  /** Progress lines (kills, the Redis restart), or nothing. */
  log?: (line: string) => void;
}

export interface NodesDrillReport {
  seconds: number;
  /** Seconds from the visitors' end until webhooks and dashboards had everything (or gave up). */
  settleSeconds: number;
  finished: boolean;
  settled: boolean;
  kills: number;
  /** The longest time a visitor went without an ack while it had messages to send, in seconds. */
  longestStallSeconds: number;
  /** Visitors that went `STALL_REPORT_MS` without progress, as they were then. */
  stalls: string[];
  redisRestarts: number;
  /** Visitor reconnections. */
  reconnects: number;
  /** Error frames the visitors got, by code, and the messages they resent after one (as the protocol says). */
  visitorErrors: Record<string, number>;
  resentAfterError: number;
  /** Hellos sent again after an `internal` error answered them (a conversation that could not start or resume). */
  helloRetries: number;
  /** Connections per node through the balancer, and those it moved off a node that refused. */
  proxy: { counts: number[]; skipped: number; refused: number };
  storedMessages: number;
  /** Exit code of each node on the final SIGTERM (0 expected). */
  exitCodes: Array<number | string | null>;
  faults: string[];
  /** Errors the nodes logged: how many, and the first ones. */
  loggedErrorCount: number;
  loggedErrors: string[];
  visitors: DeliveryVerdict;
  agents: AgentsVerdict;
  webhooks: WebhooksVerdict;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rand = ([min, max]: [number, number]) => min + Math.random() * (max - min);

/**
 * The multi-node drill: `nodes` server processes on one fresh PostgreSQL database and a private
 * Redis, behind a round-robin TCP proxy. Visitors of several companies talk through it while a
 * random node is killed (SIGKILL) and started again on its port now and then, and Redis is
 * restarted once; agent dashboards watch every message of their company and webhook endpoints
 * receive every `message.created`. At the end the database is compared with what every visitor,
 * dashboard and endpoint holds.
 */
export async function runNodesDrill(options: NodesDrillOptions): Promise<NodesDrillReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const database = await BenchDatabase.create(postgresAdminUrl, 'drill_nodes');
  const redis = await PrivateRedis.start().catch(async (error: unknown) => {
    await database.drop();
    throw error;
  });
  const password = 'drill-owner-password';
  const cluster = new DrillCluster({
    databaseUrl: database.url,
    redisUrl: redis.url,
    secret: randomBytes(32).toString('hex'),
    adminPassword: password,
    limits: { ...drillLimits, agentRequestsPerMinute: 1_000_000, loginPerMinutePerIp: 1_000, loginPerMinutePerEmail: 1_000 },
    webhooks: { allowPrivate: true, leaseMs: options.webhookLeaseMs },
    ...(options.fromSource ? { fromSource: true } : {}),
  });
  const sink = await new WebhookSink().listen();
  let proxy: RoundRobinProxy | undefined;
  const agents: DrillAgent[] = [];
  const visitors: DrillVisitor[] = [];
  try {
    // The first node makes the schema and the companies; the others start with everything in place.
    const first = await cluster.add();
    const tenants = await setUpTenants(first.http(), password, sink, options.companies, options.agentsPerCompany);
    await Promise.all(Array.from({ length: options.nodes - 1 }, () => cluster.add()));
    proxy = await new RoundRobinProxy(cluster.ports).listen();
    const http = `http://127.0.0.1:${proxy.port}`;

    for (const tenant of tenants) {
      tenant.agentTokens.forEach((token, i) => agents.push(new DrillAgent(http, token, `agent-${tenant.name}${i}`, tenant.companyId)));
    }
    for (const agent of agents) agent.start();
    await Promise.all(agents.map((a) => a.untilReady()));
    const visitorOptions = { ...drillVisitorDefaults, messages: options.messages, ...options.visitor };
    for (let i = 0; i < options.visitors; i++) {
      const tenant = tenants[i % tenants.length]!;
      visitors.push(new DrillVisitor(`ws://127.0.0.1:${proxy.port}/ws?site=${tenant.siteKey}`, `v${tenant.name}${i}`, visitorOptions));
    }
    for (const visitor of visitors) visitor.start();

    const total = options.visitors * options.messages;
    const deadline = started + options.deadlineMs;
    let finished = false;
    let nextKill = Date.now() + rand(options.killEveryMs);
    const stalls = new StallWatch(visitors, (v) => proxy!.backendOf(v.localPort ?? -1), log, started);
    while (Date.now() < deadline) {
      if (visitors.every((v) => v.done)) {
        finished = true;
        break;
      }
      stalls.look();
      const acked = visitors.reduce((n, v) => n + v.acked.size, 0);
      if (redis.restarts === 0 && acked >= total * options.redisRestartAt) {
        log(`  ${secondsSince(started)} s: Redis restarted (${acked} of ${total} acknowledged)`);
        await redis.restart(1000);
      }
      if (Date.now() >= nextKill && cluster.kills < (options.maxKills ?? Infinity)) {
        const index = Math.floor(Math.random() * cluster.nodes.length);
        log(`  ${secondsSince(started)} s: node ${index} killed (${acked} of ${total} acknowledged)`);
        await cluster.killAndRestart(index, Math.random() * 500);
        nextKill = Date.now() + rand(options.killEveryMs);
      }
      await sleep(20);
    }
    for (const visitor of visitors) visitor.stop();
    // Every visitor asks for its whole conversation once more, on a fresh socket (its seqs checked too).
    const resyncFaults: string[] = [];
    await Promise.all(visitors.filter((v) => v.session).map((v) => v.resync(0).catch((error: unknown) => resyncFaults.push(String(error)))));

    // Webhooks drain and dashboards catch up (the nodes reconcile them every 10 s).
    const settleStart = Date.now();
    let stored: StoredState;
    let settled = false;
    while (Date.now() - settleStart < options.settleMs) {
      stored = await readStored(database.url);
      const sent = judgeWebhooks(endpointsOf(tenants, sink), stored);
      if (sent.missing === 0 && (await pendingDeliveries(database.url)) === 0 && agentsComplete(agents, stored)) {
        settled = true;
        break;
      }
      await sleep(500);
    }
    const settleSeconds = secondsSince(settleStart);
    for (const agent of agents) agent.stop();
    const exitCodes = await cluster.stop();
    stored = await readStored(database.url);
    return {
      seconds: secondsSince(started),
      settleSeconds,
      finished,
      settled,
      kills: cluster.kills,
      longestStallSeconds: stalls.longest(),
      stalls: stalls.reported,
      redisRestarts: redis.restarts,
      reconnects: visitors.reduce((n, v) => n + v.connections - 1, 0),
      visitorErrors: visitors.reduce<Record<string, number>>((all, v) => {
        for (const [code, n] of Object.entries(v.errorCodes)) all[code] = (all[code] ?? 0) + n;
        return all;
      }, {}),
      resentAfterError: visitors.reduce((n, v) => n + v.resentAfterError, 0),
      helloRetries: visitors.reduce((n, v) => n + v.helloRetries, 0),
      proxy: { counts: [...proxy.counts], skipped: proxy.skipped, refused: proxy.refused },
      storedMessages: stored.messages,
      exitCodes,
      faults: [...cluster.faults, ...resyncFaults],
      loggedErrorCount: cluster.loggedErrorCount,
      loggedErrors: [...cluster.loggedErrors],
      visitors: judgeVisitors(visitors, stored),
      agents: judgeAgents(agents, stored),
      webhooks: judgeWebhooks(endpointsOf(tenants, sink), stored),
    };
  } finally {
    for (const visitor of visitors) visitor.stop();
    for (const agent of agents) agent.stop();
    cluster.dispose();
    await proxy?.close();
    await sink.close();
    await redis.stop();
    await database.drop();
  }
}

/** A visitor this long without an ack, while it has messages to send, is reported. */
const STALL_REPORT_MS = 15_000;

/** Watches the visitors' progress (acks) and reports those that stop making any. */
class StallWatch {
  private readonly progress = new Map<DrillVisitor, { acked: number; at: number; reported: boolean }>();
  private longestMs = 0;
  readonly reported: string[] = [];

  constructor(
    private readonly visitors: DrillVisitor[],
    private readonly nodeOf: (visitor: DrillVisitor) => number | undefined,
    private readonly log: (line: string) => void,
    private readonly started: number,
  ) {}

  look(now = Date.now()): void {
    for (const visitor of this.visitors) {
      const seen = this.progress.get(visitor);
      if (!seen || seen.acked !== visitor.acked.size || visitor.done) {
        this.progress.set(visitor, { acked: visitor.acked.size, at: now, reported: false });
        continue;
      }
      this.longestMs = Math.max(this.longestMs, now - seen.at);
      if (!seen.reported && now - seen.at >= STALL_REPORT_MS) {
        seen.reported = true;
        const line = `${secondsSince(this.started)} s: no ack for ${STALL_REPORT_MS / 1000} s, on node ${this.nodeOf(visitor) ?? '?'}: ${visitor.describe()}`;
        this.reported.push(line);
        this.log(`  ${line}`);
      }
    }
  }

  /** The longest stall seen so far, in seconds. */
  longest(): number {
    return Math.round(this.longestMs / 100) / 10;
  }
}

function endpointsOf(tenants: Array<{ endpoint: string; companyId: string }>, sink: WebhookSink) {
  return tenants.map((t) => ({ name: t.endpoint, companyId: t.companyId, arrivals: sink.arrivals.get(t.endpoint) ?? [] }));
}

function secondsSince(start: number): number {
  return Math.round((Date.now() - start) / 100) / 10;
}
