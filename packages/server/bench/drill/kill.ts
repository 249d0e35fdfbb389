import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchModule, exited } from '../lib/children.js';
import { startServerChild, type RunningServer } from '../lib/servers.js';
import type { ServerJob } from '../server-child.js';
import { checkDelivery, type DeliveryVerdict } from './check.js';
import { DrillVisitor, drillVisitorDefaults, type DrillVisitorOptions } from './visitor.js';

/** How a drill runs its server: the built package (`pnpm drill`) or the sources (the test suite). */
export interface DrillServerOptions {
  /** Run the server from `src` through tsx instead of `dist` (the test suite does not build). */
  fromSource?: boolean;
}

/** Limits raised so the drill's many sockets from one address are not throttled. */
export const drillLimits: ServerJob['limits'] = {
  wsConnectionsPerIp: 100_000,
  wsFramesPerSecond: 100_000,
  wsFramesPerSecondPerIp: 10_000_000,
  wsConnectsPerMinutePerIp: 1_000_000,
  httpRequestsPerMinute: 1_000_000,
};

/**
 * Starts the drill's server child on `dataDir` (and `port`, when restarting). Its output is
 * drained; its unhandled rejections and exceptions collect in `faults`.
 */
export async function drillServer(dataDir: string, port: number, options: DrillServerOptions, limits = drillLimits): Promise<RunningServer> {
  const server = await startServerChild(
    { kind: 'parley', dataDir, port, flowFile: benchModule('flows/turns.json'), logLevel: 'error', limits },
    { execArgv: options.fromSource ? ['--conditions=source'] : [], output: 'pipe' },
  );
  server.child.stdout?.resume();
  server.child.stderr?.resume();
  return server;
}

export interface KillDrillOptions extends DrillServerOptions {
  visitors: number;
  messages: number;
  /** A SIGKILL comes after a random delay in this range, in milliseconds. */
  killEveryMs: [number, number];
  /** Stop killing after this many kills (the test suite keeps it short). */
  maxKills?: number;
  /** The drill gives up (and fails) after this long. */
  deadlineMs: number;
  visitor?: Partial<DrillVisitorOptions>;
}

export interface KillDrillReport extends DeliveryVerdict {
  kills: number;
  reconnects: number;
  seconds: number;
  finished: boolean;
  faults: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What every delivery drill starts with: a temporary data folder, its first server (later ones
 * restart on the same port) and the visitors, not started yet.
 */
export async function startDrill(name: string, options: DrillServerOptions & { visitors: number }, visitor: DrillVisitorOptions) {
  const dataDir = mkdtempSync(join(tmpdir(), `parley-${name}-`));
  const first = await drillServer(dataDir, 0, options);
  const visitors = Array.from({ length: options.visitors }, (_, i) => new DrillVisitor(first.ws('/ws'), `${name[0]}${i}`, visitor));
  return { dataDir, port: first.port, servers: [first], visitors };
}

/**
 * The SIGKILL drill: visitors talk in closed loops with random ids, duplicates and resends, while
 * the server is killed at random moments and restarted on the same data and port. Clients
 * reconnect and resume by the protocol's rules. At the end every transcript is compared with the
 * database.
 */
export async function runKillDrill(options: KillDrillOptions): Promise<KillDrillReport> {
  const started = Date.now();
  const { dataDir, port, servers, visitors } = await startDrill('drill', options, {
    ...drillVisitorDefaults,
    messages: options.messages,
    ...options.visitor,
  });
  let server = servers[0]!;
  for (const visitor of visitors) visitor.start();

  let kills = 0;
  let finished = false;
  try {
    const deadline = started + options.deadlineMs;
    let nextKill = Date.now() + rand(options.killEveryMs);
    while (Date.now() < deadline) {
      if (visitors.every((v) => v.done)) {
        finished = true;
        break;
      }
      if (Date.now() >= nextKill && kills < (options.maxKills ?? Infinity)) {
        server.child.kill('SIGKILL');
        await exited(server.child);
        kills++;
        await sleep(Math.random() * 300);
        server = await drillServer(dataDir, port, options);
        servers.push(server);
        nextKill = Date.now() + rand(options.killEveryMs);
      }
      await sleep(20);
    }
    for (const visitor of visitors) visitor.stop();
    // Every client asks for its whole conversation once more: its transcript is then complete.
    if (finished) await Promise.all(visitors.filter((v) => v.session).map((v) => v.resync(0)));
    await server.stop();
    const faults = servers.flatMap((s) => s.faults);
    if (server.child.exitCode !== 0) faults.push(`server exited with ${server.child.exitCode ?? server.child.signalCode} on SIGTERM`);
    const verdict = checkDelivery(dataDir, visitors);
    return {
      ...verdict,
      kills,
      reconnects: visitors.reduce((n, v) => n + v.connections - 1, 0),
      seconds: Math.round((Date.now() - started) / 100) / 10,
      finished,
      faults,
    };
  } finally {
    for (const visitor of visitors) visitor.stop();
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function rand([min, max]: [number, number]): number {
  return min + Math.random() * (max - min);
}
