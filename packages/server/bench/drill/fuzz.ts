import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { Limits } from '@parley/protocol';
import { drillServer, type DrillServerOptions } from './kill.js';

/** Error codes the protocol documents (packages/protocol/src/errors.ts). */
const DOCUMENTED_CODES = new Set([
  'bad_request',
  'validation_failed',
  'unauthorized',
  'forbidden',
  'not_found',
  'session_closed',
  'conflict',
  'payload_too_large',
  'unsupported_media_type',
  'rate_limited',
  'not_ready',
  'internal',
  'unavailable',
]);
/** Close codes a fuzzed visitor socket may see: policy, too big, invalid UTF-8, protocol error. */
const DOCUMENTED_CLOSES = new Set([1000, 1002, 1005, 1007, 1008, 1009]);

/** Text that gives away internals: a stack frame, a source path, a library's name. */
const LEAK = /\n\s*at |\bat [\w.<>]+ \(|\.(?:ts|js|mjs|cjs):\d+|\/(?:work|home|usr|src|node_modules)\/|SqliteError|TypeError|ReferenceError|SQLITE_/;

export interface FuzzOptions extends DrillServerOptions {
  /** Rounds of the whole fuzz corpus (each round has fresh random cases). */
  rounds: number;
}

export interface FuzzReport {
  frames: number;
  requests: number;
  /** Bodies or frames that leaked a stack trace, a path or an internal error name. */
  leaks: string[];
  /** 5xx answers to malformed input. */
  serverErrors: string[];
  /** Answers that are not in the documented shape, or carry an undocumented code. */
  undocumented: string[];
  /** The server still answered /health and a real conversation at the end. */
  alive: boolean;
  faults: string[];
  seconds: number;
}

const rand = (n: number) => Math.floor(Math.random() * n);
const pick = <T>(list: readonly T[]): T => list[rand(list.length)]!;

function deep(depth: number, open = '[', close = ']'): string {
  return open.repeat(depth) + close.repeat(depth);
}

/** Malformed or hostile visitor frames. Strings are sent as text frames, Buffers as binary. */
function wsCorpus(): Array<string | Buffer> {
  const id = `f${rand(1e6)}`;
  return [
    randomBytes(1 + rand(200)),
    randomBytes(1 + rand(200)).toString('latin1'),
    'not json',
    '',
    'null',
    '42',
    '"hello"',
    '[1,2,3]',
    '{}',
    '{"type":42}',
    '{"type":"launch"}',
    '{"type":"hello","session":42}',
    `{"type":"hello","session":"${'x'.repeat(5000)}"}`,
    '{"type":"hello","last_seq":-1}',
    '{"type":"hello","last_seq":1e308}',
    '{"type":"hello","locale":{"__proto__":{"admin":true}}}',
    '{"type":"hello","__proto__":{"polluted":true}}',
    '{"type":"hello","constructor":{"prototype":{"polluted":true}}}',
    JSON.stringify({ type: 'message', id, text: 42 }),
    JSON.stringify({ type: 'message', id, text: null }),
    JSON.stringify({ type: 'message', id, text: '' }),
    JSON.stringify({ type: 'message', id, text: 'x'.repeat(4001) }),
    JSON.stringify({ type: 'message', id, text: 'y'.repeat(60_000) }),
    JSON.stringify({ type: 'message', id: 'bad id!', text: 'hi' }),
    JSON.stringify({ type: 'message', id: 'i'.repeat(65), text: 'hi' }),
    JSON.stringify({ type: 'message', id, text: 'hi', role: 'agent' }),
    `{"type":"message","id":"${id}","text":"hi","__proto__":{"x":1}}`,
    `{"type":"message","id":"${id}","text":${deep(5000)}}`,
    `{"type":"action","id":"${id}","value":${deep(3000, '{"a":', '}').replace(/}+$/, '') + '1' + '}'.repeat(3000)}}`,
    JSON.stringify({ type: 'action', id, value: ['yes'] }),
    JSON.stringify({ type: 'typing', on: 'yes' }),
    JSON.stringify({ type: 'ping', t: 'now' }),
    JSON.stringify({ type: 'handoff', id: 42 }),
    '{"type":"message","id":"a","text":"\\ud800"}',
    '{"type":"message","id":"a","text":"<script>alert(1)</script><img src=x onerror=alert(1)>"}',
  ];
}

/** Oversized frame: past the 64 KiB limit, the socket must close with 1009. */
const OVERSIZED = JSON.stringify({ type: 'message', id: 'big', text: 'z'.repeat(70 * 1024) });

interface HttpCase {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const ROUTES: Array<[string, string]> = [
  ['GET', '/api/chatbot'],
  ['POST', '/api/chatbot'],
  ['GET', '/api/chatbot/messages'],
  ['POST', '/api/session-close/'],
  ['POST', '/api/upload-image/'],
  ['POST', '/api/transfer_to_agent'],
  ['POST', '/api/auth/login'],
  ['GET', '/api/auth/verify'],
  ['GET', '/api/chats'],
  ['GET', '/api/chats/x/messages'],
  ['POST', '/api/chats/x/claim'],
  ['GET', '/api/users'],
  ['POST', '/api/users'],
  ['PATCH', '/api/users/x'],
  ['GET', '/api/leads'],
  ['GET', '/api/company'],
  ['GET', '/uploads/x'],
  ['GET', '/health'],
];

/** Malformed or hostile HTTP requests against every route. */
function httpCorpus(): HttpCase[] {
  const json = { 'content-type': 'application/json' };
  const cases: HttpCase[] = [];
  for (const [method, path] of ROUTES) {
    const body = method === 'GET' ? undefined : pick([
      randomBytes(rand(300)),
      '{',
      'null',
      '[]',
      '"x"',
      '{"message":42,"chatbot_session":[]}',
      '{"message":"hi","chatbot_session":"' + 'A'.repeat(300) + '"}',
      '{"__proto__":{"admin":true},"message":"hi"}',
      '{"constructor":{"prototype":{"admin":true}}}',
      '{"email":{"$gt":""},"password":{"$ne":null}}',
      `{"message":${deep(20_000)}}`,
      JSON.stringify({ message: 'x'.repeat(2 * 1024 * 1024) }),
    ]);
    cases.push({ method, path, headers: json, ...(body !== undefined ? { body } : {}) });
    cases.push({ method, path: `${path}?${pick(['a[b]=1', 'chatbot_session=' + '%'.repeat(5), 'x=' + 'y'.repeat(9000), '__proto__[a]=1', 'site=%00'])}` });
    cases.push({ method, path, headers: { authorization: pick(['Bearer x', 'Bearer ' + randomBytes(40).toString('base64'), 'Basic Og==', 'Bearer eyJhbGciOiJub25lIn0.eyJyb2xlIjoib3duZXIifQ.']) } });
    if (method !== 'GET') {
      cases.push({ method, path, headers: { 'content-type': pick(['text/plain', 'application/xml', 'multipart/form-data', 'multipart/form-data; boundary=x', 'application/json; charset=utf-7']) }, body: randomBytes(rand(500)) });
    }
  }
  cases.push({ method: 'GET', path: `/${randomBytes(20).toString('hex')}` });
  cases.push({ method: 'GET', path: '/api/%zz' });
  cases.push({ method: 'GET', path: `/uploads/${'..%2f'.repeat(10)}etc%2fpasswd` });
  cases.push({ method: 'DELETE', path: '/api/chatbot' });
  return cases;
}

/** Sends raw frames on one visitor socket; resolves with every frame received and the close code. */
async function fuzzSocket(url: string, frames: Array<string | Buffer>, sayHello: boolean): Promise<{ received: string[]; close: number | undefined }> {
  const socket = new WebSocket(url, { perMessageDeflate: false });
  const received: string[] = [];
  let close: number | undefined;
  socket.on('message', (data) => received.push(data.toString()));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const closed = new Promise<void>((resolve) =>
    socket.on('close', (code) => {
      close = code;
      resolve();
    }),
  );
  if (sayHello) socket.send('{"type":"hello"}');
  for (const frame of frames) {
    if (socket.readyState !== WebSocket.OPEN) break;
    socket.send(frame, { binary: Buffer.isBuffer(frame) });
    // A valid frame in between resets the malformed-in-a-row counter, so the corpus runs through.
    socket.send('{"type":"ping","t":1}');
  }
  // Wait for the answers: a last ping's pong, or the close. A bare hello (the check that the
  // server still serves) waits for its welcome too: a ping is answered at once, before the new
  // conversation is committed, so on a busy machine the pong could come first.
  if (socket.readyState === WebSocket.OPEN) socket.send('{"type":"ping","t":2}');
  const welcomeToo = sayHello && frames.length === 0;
  await Promise.race([
    closed,
    new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (received.some((r) => r.includes('"t":2')) && (!welcomeToo || received.some((r) => r.includes('"welcome"')))) {
          clearInterval(timer);
          resolve();
        }
      }, 10);
      setTimeout(() => {
        clearInterval(timer);
        resolve();
      }, 5000);
    }),
  ]);
  socket.terminate();
  return { received, close };
}

/**
 * The malformed-input drill: hostile frames over `/ws` and hostile requests to every HTTP route.
 * The server must stay up, answer with documented errors, leak nothing about its internals and
 * report no unhandled rejection.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-fuzz-'));
  const server = await drillServer(dataDir, 0, options);
  const report: FuzzReport = { frames: 0, requests: 0, leaks: [], serverErrors: [], undocumented: [], alive: false, faults: server.faults, seconds: 0 };
  const note = (list: string[], line: string) => list.length < 30 && list.push(line.slice(0, 300));
  try {
    for (let round = 0; round < options.rounds; round++) {
      const corpus = wsCorpus();
      for (const sayHello of [false, true]) {
        const { received, close } = await fuzzSocket(server.ws('/ws'), corpus, sayHello);
        report.frames += corpus.length;
        for (const text of received) {
          if (LEAK.test(text)) note(report.leaks, `ws: ${text}`);
          const frame = JSON.parse(text) as { type: string; code?: string };
          if (frame.type === 'error' && !DOCUMENTED_CODES.has(frame.code ?? '')) note(report.undocumented, `ws error code ${frame.code}`);
          if (frame.type === 'error' && frame.code === 'internal') note(report.serverErrors, `ws: ${text}`);
        }
        if (close !== undefined && !DOCUMENTED_CLOSES.has(close)) note(report.undocumented, `ws closed with ${close}`);
      }
      const big = await fuzzSocket(server.ws('/ws'), [OVERSIZED], true);
      report.frames++;
      if (big.close !== 1009) note(report.undocumented, `oversized frame closed with ${big.close}`);

      for (const c of httpCorpus()) {
        report.requests++;
        let status: number;
        let text: string;
        try {
          const response = await fetch(server.http(c.path), {
            method: c.method,
            ...(c.headers ? { headers: c.headers } : {}),
            ...(c.body !== undefined ? { body: c.body } : {}),
          });
          status = response.status;
          text = await response.text();
        } catch (error) {
          // Past the body limit the server may answer 413 and close before the upload ends; any
          // other dropped connection is not a documented answer.
          const oversized = c.body !== undefined && Buffer.byteLength(c.body) > Limits.maxBodyBytes;
          if (!oversized) note(report.undocumented, `${c.method} ${c.path.slice(0, 60)}: ${(error as Error).message}`);
          continue;
        }
        const where = `${c.method} ${c.path.slice(0, 60)} -> ${status}`;
        if (LEAK.test(text)) note(report.leaks, `${where}: ${text}`);
        if (status >= 500 && status !== 503) note(report.serverErrors, `${where}: ${text}`);
        if (status >= 400) {
          let body: { code?: string; statusCode?: number; BOT?: unknown } | undefined;
          try {
            body = JSON.parse(text);
          } catch {
            body = undefined;
          }
          const documented = body !== undefined && (body.BOT !== undefined || (DOCUMENTED_CODES.has(body.code ?? '') && body.statusCode === status));
          if (!documented) note(report.undocumented, `${where}: ${text}`);
        }
      }
    }
    const health = await fetch(server.http('/health'));
    const conversation = await fuzzSocket(server.ws('/ws'), [], true);
    report.alive = health.status === 200 && conversation.received.some((r) => r.includes('"welcome"'));
    await server.stop();
    if (server.child.exitCode !== 0) report.faults.push(`server exited with ${server.child.exitCode ?? server.child.signalCode}`);
  } finally {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
  report.seconds = Math.round((Date.now() - started) / 100) / 10;
  return report;
}
