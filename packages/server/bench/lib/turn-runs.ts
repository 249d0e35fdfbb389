import type { TurnsJob, TurnsResult } from '../load.js';
import type { LimitsConfig } from '@parley/server';
import type { ServerUsage } from '../server-child.js';
import { benchModule, forkModule, nextMessage, stop, type ChildMessage } from './children.js';
import type { RunningServer } from './servers.js';
import { round } from './stats.js';

/** The bench raises every per-IP and per-connection limit of its own server: all its clients share one address. */
export const benchLimits: Partial<LimitsConfig> = {
  wsConnectionsPerIp: 1_000_000,
  wsFramesPerSecond: 1_000_000,
  wsFramesPerSecondPerIp: 1_000_000_000,
  wsConnectsPerMinutePerIp: 1_000_000,
  httpRequestsPerMinute: 1_000_000,
  loginPerMinutePerIp: 1_000_000,
  loginPerMinutePerEmail: 1_000_000,
  agentRequestsPerMinute: 1_000_000,
};

/** A `turns` load's result with the server's CPU over the same window. */
export type TurnsFigures = TurnsResult & {
  serverCpuUsPerTurn: number;
  serverMainThreadUsPerTurn: number;
  /** Server CPU over the whole window (all threads), in microseconds. */
  serverCpuUs: number;
  turnsPerCommit?: number;
  serverEventLoop: ServerUsage['eventLoop'];
  serverGc: ServerUsage['gc'];
  /** How much `sample` (when given) grew over the window. */
  sampled?: number;
};

/**
 * Runs one `turns` load in its own process and calls `sample` when its measuring window opens and
 * when it closes: what the caller reads there (server CPU, database counters) covers the window.
 */
export async function measureLoad<T>(job: TurnsJob, sample: () => Promise<T>): Promise<{ result: TurnsResult; before: T; after: T }> {
  const load = forkModule(benchModule('load.ts'), job);
  const samples: Array<Promise<T>> = [];
  load.on('message', (message: ChildMessage) => {
    if (message.type === 'phase') samples.push(sample());
  });
  const done = await nextMessage<ChildMessage>(load, (m) => m.type === 'result' || m.type === 'failed', job.warmupMs + job.durationMs + 90_000, 'the load result');
  await stop(load);
  if (done.type === 'failed') throw new Error(`load generator failed: ${String(done.message)} ${JSON.stringify(done.errors)}`);
  const [before, after] = await Promise.all(samples);
  if (before === undefined || after === undefined) throw new Error('the server was not sampled around the window');
  return { result: done as unknown as TurnsResult, before, after };
}

/**
 * Runs one `turns` load against `server` and measures the server's CPU over the same window;
 * `sample`, when given, is read at both ends of the window too (the dashboards' frame count).
 */
export async function runTurns(server: RunningServer, job: TurnsJob, sample?: () => Promise<number>): Promise<TurnsFigures> {
  const { result, before: [before, first], after: [after, last] } = await measureLoad(job, () =>
    Promise.all([server.usage(), sample ? sample() : Promise.resolve(undefined)]),
  );
  return {
    ...result,
    ...(first !== undefined && last !== undefined ? { sampled: last - first } : {}),
    serverCpuUs: after.cpuUs - before.cpuUs,
    serverCpuUsPerTurn: round((after.cpuUs - before.cpuUs) / Math.max(1, result.turns), 1),
    serverMainThreadUsPerTurn: round((after.mainThreadCpuUs - before.mainThreadCpuUs) / Math.max(1, result.turns), 1),
    serverEventLoop: after.eventLoop,
    serverGc: after.gc,
    ...(after.commits ? { turnsPerCommit: round(result.turns / Math.max(1, after.commits - before.commits), 2) } : {}),
  };
}

/**
 * Waits until `server` is idle (under 5% of a core over 300 ms), at most 20 s: what a load left
 * it to do in the background is done before the next load is measured.
 */
export async function settle(server: RunningServer): Promise<void> {
  const stepMs = 300;
  let before = await server.usage();
  for (const until = Date.now() + 20_000; Date.now() < until; ) {
    await new Promise((resolve) => setTimeout(resolve, stepMs));
    const now = await server.usage();
    if (now.cpuUs - before.cpuUs < stepMs * 1000 * 0.05) return;
    before = now;
  }
}
