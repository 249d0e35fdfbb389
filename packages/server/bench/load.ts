import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Latencies, round, type LatencySummary } from './lib/stats.js';

/**
 * The load generator: a separate process that drives either Parley's `/ws` or the bare echo
 * server with the same client code and the same frames, and reports figures over IPC. Loopback
 * only, bounded in time (it exits on its own deadline).
 *
 * Jobs: `turns` (visitors in a closed loop, optionally pausing, optionally with agent dashboards
 * listening) and `idle` (many connections that said hello and then wait, for memory).
 */
export type LoadJob = TurnsJob | IdleJob;

export interface TurnsJob {
  kind: 'turns';
  url: string;
  target: 'parley' | 'echo';
  visitors: number;
  warmupMs: number;
  durationMs: number;
  /** Pause between a reply and the next message; 0 is a closed loop at full speed. */
  pauseMs: number;
  /** The visitor's message text (the echo gets the same frame, byte for byte). */
  text: string;
  /** Agent dashboards that listen while the visitors talk (measurement 4). */
  agents?: { url: string; tokens: string[] };
}

export interface TurnsResult {
  type: 'result';
  turns: number;
  seconds: number;
  rate: number;
  /** From sending a message to receiving its reply (the bot's stored answer, or the echo). */
  latency: LatencySummary;
  /** From sending a message to its `ack` (Parley only). */
  ack?: LatencySummary;
  /** The load generator's own CPU per turn: shows when the client, not the server, is the limit. */
  clientCpuUsPerTurn: number;
  errors: string[];
  agents?: AgentFigures;
}

/** Measurement 4: what the agent dashboards saw of the visitors' messages sent in the window. */
export interface AgentFigures {
  agents: number;
  /** Visitor messages in the window times agents. */
  expected: number;
  delivered: number;
  missing: number;
  /** From the visitor sending a message to an agent receiving it. */
  latency: LatencySummary;
}

export interface IdleJob {
  kind: 'idle';
  url: string;
  target: 'parley' | 'echo';
  connections: number;
  /** Spread the connections over this many loopback source addresses (127.0.0.2, .3 ...). */
  sourceAddresses: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
const errors: string[] = [];

function report(message: object): void {
  process.send?.(message);
}

function fail(message: string): never {
  report({ type: 'failed', message, errors: errors.slice(0, 20) });
  process.exit(1);
}

function noteError(message: string): void {
  if (errors.length < 1000) errors.push(message);
}

/** Opens a socket and resolves once it is open. */
function open(url: string, localAddress?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { perMessageDeflate: false, ...(localAddress ? { localAddress } : {}) });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode} on upgrade`)));
  });
}

/** Runs `task(i)` for i < count with at most `concurrency` at once (a burst of SYNs overflows the backlog). */
async function forEachBounded(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}

/** Waits for the first frame that matches, parsing frames as they come. */
function waitFrame(socket: WebSocket, match: (frame: any) => boolean, timeoutMs: number, what: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      const frame = JSON.parse(data.toString());
      if (!match(frame)) return;
      cleanup();
      resolve(frame);
    };
    const onClose = (code: number) => {
      cleanup();
      reject(new Error(`closed (${code}) while waiting for ${what}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      socket.off('message', onMessage);
      socket.off('close', onClose);
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
  });
}

/** Says hello to Parley (welcome, then the greeting) or sends the same-sized frame to the echo. */
async function hello(socket: WebSocket, target: 'parley' | 'echo'): Promise<void> {
  if (target === 'parley') {
    const greeted = waitFrame(socket, (f) => f.type === 'message' && f.message?.seq === 1, 15_000, 'the greeting');
    socket.send('{"type":"hello"}');
    await greeted;
  } else {
    const echoed = waitFrame(socket, (f) => f.type === 'hello', 15_000, 'the echo');
    socket.send('{"type":"hello"}');
    await echoed;
  }
}

async function connectAgents(spec: NonNullable<TurnsJob['agents']>): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (const token of spec.tokens) {
    const socket = await open(`${spec.url}${spec.url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`);
    await waitFrame(socket, (f) => f.type === 'ready', 10_000, 'the agent ready frame');
    sockets.push(socket);
  }
  return sockets;
}

async function turns(spec: TurnsJob): Promise<TurnsResult> {
  const latency = new Latencies();
  const ackLatency = new Latencies();
  const agentLatency = new Latencies();
  const sockets: WebSocket[] = [];
  await forEachBounded(spec.visitors, 50, async () => {
    const socket = await open(spec.url);
    if (spec.target === 'parley') await hello(socket, 'parley');
    sockets.push(socket);
  });
  const agentSockets = spec.agents ? await connectAgents(spec.agents) : [];

  // Visitor message ids sent during the window, with when they were sent (for agent delivery).
  const windowSends = new Map<string, number>();
  let agentDelivered = 0;
  let measuring = false;
  let stopping = false;
  let completed = 0;
  let inFlight = 0;

  for (const socket of agentSockets) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type !== 'message' || frame.message.role !== 'user') return;
      const sentAt = windowSends.get(frame.message.client_id);
      if (sentAt === undefined) return;
      agentDelivered++;
      agentLatency.add(performance.now() - sentAt);
    });
  }

  const prefix = spec.text;
  sockets.forEach((socket, v) => {
    let n = 0;
    let sentAt = 0;
    let waiting = false;
    let frameId = '';
    const send = () => {
      if (stopping) return;
      frameId = `v${v}-${++n}`;
      sentAt = performance.now();
      waiting = true;
      inFlight++;
      if (measuring && agentSockets.length) windowSends.set(frameId, sentAt);
      socket.send(`{"type":"message","id":"${frameId}","text":${JSON.stringify(prefix)}}`);
    };
    const replied = () => {
      if (!waiting) return;
      waiting = false;
      inFlight--;
      latency.add(performance.now() - sentAt);
      completed++;
      if (spec.pauseMs > 0) setTimeout(send, spec.pauseMs);
      else send();
    };
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString());
      if (spec.target === 'echo') return replied();
      switch (frame.type) {
        case 'ack':
          if (frame.id === frameId) ackLatency.add(performance.now() - sentAt);
          return;
        case 'message':
          if (frame.message.role === 'bot') replied();
          return;
        case 'error':
          noteError(`error frame: ${frame.code} ${frame.message}`);
          return;
        default:
          return;
      }
    });
    socket.on('close', (code) => {
      if (!stopping) noteError(`visitor socket closed with ${code} during the run`);
    });
    // Stagger the first sends of a paced load so the visitors do not march in step.
    if (spec.pauseMs > 0) setTimeout(send, Math.random() * spec.pauseMs);
    else send();
  });

  await new Promise((resolve) => setTimeout(resolve, spec.warmupMs));
  latency.reset();
  ackLatency.reset();
  completed = 0;
  measuring = true;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  report({ type: 'phase', phase: 'measuring' });
  await new Promise((resolve) => setTimeout(resolve, spec.durationMs));
  const count = completed;
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  report({ type: 'phase', phase: 'measured' });
  const summary = latency.summary();
  const ackSummary = ackLatency.summary();
  stopping = true;
  measuring = false;

  // Let the last replies (and their copies to the agents) arrive, briefly.
  const drainUntil = performance.now() + 3000;
  while (performance.now() < drainUntil && (inFlight > 0 || (agentSockets.length && agentDelivered < windowSends.size * agentSockets.length))) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  for (const socket of [...sockets, ...agentSockets]) socket.terminate();

  const result: TurnsResult = {
    type: 'result',
    turns: count,
    seconds: round(seconds),
    rate: round(count / seconds, 1),
    latency: summary,
    ...(spec.target === 'parley' ? { ack: ackSummary } : {}),
    clientCpuUsPerTurn: round((cpu.user + cpu.system) / Math.max(1, count), 1),
    errors: errors.slice(0, 20),
  };
  if (spec.agents) {
    const expected = windowSends.size * agentSockets.length;
    result.agents = {
      agents: agentSockets.length,
      expected,
      delivered: agentDelivered,
      missing: expected - agentDelivered,
      latency: agentLatency.summary(),
    };
  }
  return result;
}

async function idle(spec: IdleJob): Promise<void> {
  const sockets: WebSocket[] = [];
  let failed = 0;
  const start = performance.now();
  await forEachBounded(spec.connections, 64, async (i) => {
    try {
      const socket = await open(spec.url, `127.0.0.${2 + (i % Math.max(1, spec.sourceAddresses))}`);
      socket.on('error', () => undefined);
      await hello(socket, spec.target);
      sockets.push(socket);
    } catch (error) {
      failed++;
      noteError(String(error));
    }
  });
  report({ type: 'connected', count: sockets.length, failed, seconds: round((performance.now() - start) / 1000), errors: errors.slice(0, 20) });
  await new Promise<void>((resolve) => process.on('message', (m: { type: string }) => m.type === 'close' && resolve()));
  for (const socket of sockets) socket.terminate();
}

const deadline = setTimeout(
  () => fail(`load job ${job.kind} ran past its deadline`),
  job.kind === 'turns' ? job.warmupMs + job.durationMs + 60_000 : 180_000,
);
process.on('disconnect', () => process.exit(0));

const work = job.kind === 'turns' ? turns(job).then((result) => report(result)) : idle(job);
work.then(
  () => {
    clearTimeout(deadline);
    // Let the last IPC message leave before exiting.
    setTimeout(() => process.exit(0), 50);
  },
  (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
);
