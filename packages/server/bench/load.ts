import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { Latencies, round, type LatencySummary } from './lib/stats.js';

/**
 * The load generator: a separate process that drives either Parley's `/ws` or the bare echo
 * server with the same client code and the same frames, and reports figures over IPC. Loopback
 * only, bounded in time (it exits on its own deadline).
 *
 * Jobs: `turns` (visitors in a closed loop, optionally pausing), `agents` (dashboards listening
 * to it all, run as a second load process) and `idle` (many connections that said hello and then
 * wait, for memory).
 */
export type LoadJob = TurnsJob | IdleJob | AgentsJob;

export interface TurnsJob {
  kind: 'turns';
  url: string;
  /** Several nodes of one deployment: visitor `v` connects to `urls[v % urls.length]` (`url` is then unused). */
  urls?: string[];
  target: 'parley' | 'echo';
  visitors: number;
  warmupMs: number;
  durationMs: number;
  /** Pause between a reply and the next message; 0 is a closed loop at full speed. */
  pauseMs: number;
  /**
   * How much pauses vary around `pauseMs`: 0 is always exactly `pauseMs`; 0.5 draws each pause
   * uniformly between half and one and a half times it (the same mean), as people's pauses vary.
   */
  pauseSpread?: number;
  /** The visitor's message text (the echo gets the same frame, byte for byte). */
  text: string;
  /**
   * Put the send time (microseconds since the epoch) in every message id, so agent dashboards in
   * another process can time the delivery (measurement 4).
   */
  stampIds?: boolean;
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
  /** The measuring window on the epoch clock (ms), and the messages sent in it. */
  window: { start: number; end: number; sends: number };
}

/** Agent dashboards (measurement 4), in their own process so parsing their firehose does not slow the visitors. */
export interface AgentsJob {
  kind: 'agents';
  url: string;
  tokens: string[];
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
  /** Agent sockets the server closed during the run, with their codes. */
  closed: number[];
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

/** Epoch time in milliseconds with sub-millisecond precision, comparable across processes. */
const epochMs = () => performance.timeOrigin + performance.now();

const READY = Buffer.from('{"type":"ready"');
const MESSAGE = Buffer.from('{"type":"message"');
const USER_ROLE = Buffer.from('"role":"user"');
const CLIENT_ID = Buffer.from('"client_id":"');
const QUOTE = 0x22;
const startsWith = (data: Buffer, prefix: Buffer) => data.length >= prefix.length && data.compare(prefix, 0, prefix.length, 0, prefix.length) === 0;

/**
 * Agent dashboards that listen to everything their company says. A visitor message's id carries
 * its send time; the delivery latency is measured against it. Frames are not parsed, nor checked
 * as UTF-8, nor even turned into strings (only a visitor message's id is): at tens of thousands
 * of frames per second across the dashboards, sharing the server's two cores, the client must
 * not be what is measured.
 */
async function agents(spec: AgentsJob): Promise<void> {
  const stamps = new Latencies();
  const latencies: number[] = [];
  const closed: number[] = [];
  /** Every frame the dashboards received (messages, summaries, acks...): the server's fan-out work. */
  let frames = 0;
  let stopping = false;
  const sockets: WebSocket[] = [];
  for (const token of spec.tokens) {
    // The server sends `ready` as soon as the socket opens: listen before the upgrade completes.
    const socket = new WebSocket(`${spec.url}?token=${encodeURIComponent(token)}`, { perMessageDeflate: false, skipUTF8Validation: true });
    let ready: () => void = () => undefined;
    const isReady = new Promise<void>((resolve, reject) => {
      ready = resolve;
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode} on the agent upgrade`)));
      setTimeout(() => reject(new Error('timed out waiting for the agent ready frame')), 10_000);
    });
    socket.on('message', (raw) => {
      frames++;
      // Matched on the bytes: only a visitor message's id is ever decoded.
      const data = raw as Buffer;
      if (startsWith(data, READY)) return ready();
      if (!startsWith(data, MESSAGE) || data.indexOf(USER_ROLE) < 0) return;
      const at = data.indexOf(CLIENT_ID);
      if (at < 0) return;
      const start = at + CLIENT_ID.length;
      const id = data.toString('latin1', start, data.indexOf(QUOTE, start));
      const stamp = Number(id.slice(id.lastIndexOf('-') + 1)) / 1000;
      if (!Number.isFinite(stamp)) return;
      stamps.add(stamp);
      latencies.push(epochMs() - stamp);
    });
    socket.on('close', (code) => {
      if (!stopping) closed.push(code);
    });
    await isReady;
    sockets.push(socket);
  }
  report({ type: 'connected', count: sockets.length });
  await new Promise<void>((resolve) =>
    process.on('message', (m: { type: string; start?: number; end?: number; id?: number }) => {
      if (m.type === 'count') report({ type: 'count', id: m.id, delivered: latencies.length, frames });
      if (m.type !== 'report') return;
      const inWindow = new Latencies();
      const all = stamps.values();
      for (let i = 0; i < all.length; i++) if (all[i]! >= m.start! && all[i]! <= m.end!) inWindow.add(latencies[i]!);
      report({ type: 'agents', id: m.id, agents: sockets.length, delivered: inWindow.count, latency: inWindow.summary(), closed });
      resolve();
    }),
  );
  stopping = true;
  for (const socket of sockets) socket.terminate();
}

async function turns(spec: TurnsJob): Promise<TurnsResult> {
  const latency = new Latencies();
  const ackLatency = new Latencies();
  const sockets: WebSocket[] = [];
  const urls = spec.urls?.length ? spec.urls : [spec.url];
  await forEachBounded(spec.visitors, 50, async (v) => {
    const socket = await open(urls[v % urls.length]!);
    if (spec.target === 'parley') await hello(socket, 'parley');
    sockets.push(socket);
  });
  let windowSends = 0;
  let measuring = false;
  let stopping = false;
  let completed = 0;
  let inFlight = 0;

  const prefix = spec.text;
  const spread = spec.pauseSpread ?? 0;
  const pause = () => spec.pauseMs * (1 - spread + 2 * spread * Math.random());
  sockets.forEach((socket, v) => {
    let n = 0;
    let sentAt = 0;
    let waiting = false;
    let frameId = '';
    const send = () => {
      if (stopping) return;
      sentAt = performance.now();
      frameId = spec.stampIds ? `v${v}-${++n}-${Math.round((performance.timeOrigin + sentAt) * 1000)}` : `v${v}-${++n}`;
      waiting = true;
      inFlight++;
      if (measuring) windowSends++;
      socket.send(`{"type":"message","id":"${frameId}","text":${JSON.stringify(prefix)}}`);
    };
    const replied = () => {
      if (!waiting) return;
      waiting = false;
      inFlight--;
      latency.add(performance.now() - sentAt);
      completed++;
      if (spec.pauseMs > 0) setTimeout(send, pause());
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
  const windowStart = epochMs();
  report({ type: 'phase', phase: 'measuring' });
  await new Promise((resolve) => setTimeout(resolve, spec.durationMs));
  const count = completed;
  const seconds = (performance.now() - start) / 1000;
  const windowEnd = epochMs();
  const cpu = process.cpuUsage(cpuStart);
  report({ type: 'phase', phase: 'measured' });
  const summary = latency.summary();
  const ackSummary = ackLatency.summary();
  stopping = true;
  measuring = false;

  // Let the last replies arrive, briefly.
  const drainUntil = performance.now() + 3000;
  while (performance.now() < drainUntil && inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  for (const socket of sockets) socket.terminate();

  const result: TurnsResult = {
    type: 'result',
    turns: count,
    seconds: round(seconds),
    rate: round(count / seconds, 1),
    latency: summary,
    ...(spec.target === 'parley' ? { ack: ackSummary } : {}),
    clientCpuUsPerTurn: round((cpu.user + cpu.system) / Math.max(1, count), 1),
    errors: errors.slice(0, 20),
    window: { start: windowStart, end: windowEnd, sends: windowSends },
  };
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
  job.kind === 'turns' ? job.warmupMs + job.durationMs + 60_000 : 240_000,
);
process.on('disconnect', () => process.exit(0));

const work = job.kind === 'turns' ? turns(job).then((result) => report(result)) : job.kind === 'agents' ? agents(job) : idle(job);
work.then(
  () => {
    clearTimeout(deadline);
    // Let the last IPC message leave before exiting.
    setTimeout(() => process.exit(0), 50);
  },
  (error: unknown) => fail(error instanceof Error ? error.message : String(error)),
);
