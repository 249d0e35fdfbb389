import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';
import { Limits } from '@parley/protocol';
import { startServer, type LimitsConfig, type ParleyOptions } from '@parley/server';
import { startFloorServer } from './lib/floor-server.js';

/**
 * The server under test, as its own process: Parley (the built package, as it ships), the bare
 * `ws` echo server that is the ceiling, or the stored-turn floor (`lib/floor-server.ts`). It reports on IPC: `ready` with its port, `usage` (its own
 * CPU time and RSS) on request, and `fault` for every unhandled rejection or uncaught exception.
 * SIGTERM shuts Parley down the way production does (1001 to every socket, queued writes commit).
 *
 * Started by the bench and the drills; by hand:
 * `node --import tsx bench/server-child.ts '{"kind":"echo"}'`.
 */
export interface ServerJob {
  kind: 'parley' | 'echo' | 'floor';
  /** 0 (default) picks a free port. The drills pass a fixed one so clients reconnect to it. */
  port?: number;
  dataDir?: string;
  flowFile?: string;
  logLevel?: string;
  limits?: Partial<LimitsConfig>;
  /** The owner's password on first start (the bench signs in agents with it). */
  adminPassword?: string;
  /** PostgreSQL to store in instead of SQLite (`DATABASE_URL`). */
  databaseUrl?: string;
  /** Redis for the bus, presence and rate limits shared by several nodes (`REDIS_URL`). */
  redisUrl?: string;
  /** Starts every Redis key and channel of this server (`PARLEY_REDIS_PREFIX`). */
  redisPrefix?: string;
  /** The instance secret (`PARLEY_SECRET`): nodes of one deployment share it, so a token signed by one is valid on all. */
  secret?: string;
  /** Webhook settings (the multi-node drill allows its loopback receiver and shortens the lease). */
  webhooks?: ParleyOptions['webhooks'];
}

/** What the child answers to `{ type: 'usage' }`. */
export interface ServerUsage {
  type: 'usage';
  /** User plus system CPU time since the process started, in microseconds (every thread). */
  cpuUs: number;
  /** The same for the main thread alone (the event loop), from /proc; 10 ms resolution. */
  mainThreadCpuUs: number;
  rss: number;
  heapUsed: number;
  /** Group-commit transactions so far (Parley and the floor). */
  commits: number;
  /** Event-loop delay since the previous sample, in milliseconds: shows stalls (checkpoints, GC). */
  eventLoop: { p50: number; p99: number; max: number };
  /** Garbage-collection pauses since the previous sample, in milliseconds. */
  gc: { count: number; totalMs: number; maxMs: number };
  faults: { unhandledRejections: number; uncaughtExceptions: number };
}

const job = JSON.parse(process.argv[2] ?? '{}') as ServerJob;
const faults = { unhandledRejections: 0, uncaughtExceptions: 0 };
const loopDelay = monitorEventLoopDelay({ resolution: 1 });
loopDelay.enable();
let gc = { count: 0, totalMs: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.count++;
    gc.totalMs += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });

function fault(kind: 'unhandledRejection' | 'uncaughtException', error: unknown): void {
  if (kind === 'unhandledRejection') faults.unhandledRejections++;
  else faults.uncaughtExceptions++;
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`[server-child] ${kind}: ${detail}\n`);
  process.send?.({ type: 'fault', kind, detail });
}
process.on('unhandledRejection', (reason) => fault('unhandledRejection', reason));
process.on('uncaughtException', (error) => fault('uncaughtException', error));
// Bounded: a server whose parent is gone has nobody to serve.
process.on('disconnect', () => process.exit(0));

let commits = (): number => 0;

/** CPU time of the main thread (Linux: its task's utime + stime, in clock ticks of 10 ms). */
function mainThreadCpuUs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return 0;
  }
}

async function main(): Promise<number> {
  if (job.kind === 'echo') {
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: job.port ?? 0,
      perMessageDeflate: false,
      maxPayload: Limits.maxFrameBytes,
      clientTracking: true,
    });
    wss.on('connection', (socket) => {
      socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    process.once('SIGTERM', () => {
      for (const client of wss.clients) client.close(1001, 'Server shutting down');
      wss.close(() => process.exit(0));
    });
    return (wss.address() as { port: number }).port;
  }
  if (job.kind === 'floor') {
    if (!job.dataDir) throw new Error('the floor server needs a dataDir');
    const floor = await startFloorServer(job.dataDir, job.port);
    commits = floor.commits;
    process.once('SIGTERM', () => void floor.close().then(() => process.exit(0)));
    return floor.port;
  }
  const server = await startServer({
    host: '127.0.0.1',
    port: job.port ?? 0,
    ...(job.dataDir ? { dataDir: job.dataDir } : {}),
    ...(job.flowFile ? { flowFile: job.flowFile } : {}),
    logLevel: job.logLevel ?? 'warn',
    ...(job.limits ? { limits: job.limits } : {}),
    ...(job.adminPassword ? { adminPassword: job.adminPassword } : {}),
    ...(job.databaseUrl ? { databaseUrl: job.databaseUrl } : {}),
    ...(job.redisUrl ? { redisUrl: job.redisUrl } : {}),
    ...(job.redisPrefix ? { redisPrefix: job.redisPrefix } : {}),
    ...(job.secret ? { secret: job.secret } : {}),
    ...(job.webhooks ? { webhooks: job.webhooks } : {}),
  });
  commits = () => server.writes.commits;
  const address = server.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

process.on('message', (message: { type: string; id?: number; gc?: boolean }) => {
  if (message.type !== 'usage') return;
  if (message.gc && typeof globalThis.gc === 'function') globalThis.gc();
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  const usage: ServerUsage & { id?: number } = {
    type: 'usage',
    id: message.id,
    cpuUs: cpu.user + cpu.system,
    mainThreadCpuUs: mainThreadCpuUs(),
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    commits: commits(),
    eventLoop: {
      p50: loopDelay.percentile(50) / 1e6,
      p99: loopDelay.percentile(99) / 1e6,
      max: loopDelay.max / 1e6,
    },
    gc,
    faults,
  };
  loopDelay.reset();
  gc = { count: 0, totalMs: 0, maxMs: 0 };
  process.send?.(usage);
});

main().then(
  (port) => process.send?.({ type: 'ready', port, pid: process.pid }),
  (error: unknown) => {
    process.stderr.write(`[server-child] failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
