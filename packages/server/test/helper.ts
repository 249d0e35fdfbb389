import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import type { VisitorServerFrame } from '@parley/protocol';
import { buildServer } from '../src/server.js';
import type { ParleyOptions } from '../src/config.js';
import { createTestDatabase } from './db/postgres-helper.js';
import { AlternatingProxy } from './support/alternating-proxy.js';

const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/** A fresh temporary data folder, removed after the test. */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-test-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Which store the suite runs on: `sqlite` (the default) or `postgres`, from `PARLEY_TEST_STORE`.
 * On `postgres` every test server gets a database of its own, dropped after the test.
 */
export const testStore = process.env.PARLEY_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** A fresh PostgreSQL database for one test server, dropped after the test. */
export async function testDatabaseUrl(): Promise<string> {
  const database = await createTestDatabase('app');
  cleanups.push(() => database.drop());
  return database.url;
}

/**
 * On PostgreSQL the test servers also take Redis for what is live (bus, presence, shared rate
 * limits), as a node of a multi-node deployment does: a key prefix of their own, deleted after
 * the test. `PARLEY_TEST_REDIS=0` leaves Redis out.
 */
async function testRedis(): Promise<{ redisUrl: string; redisPrefix: string } | Record<string, never>> {
  if (process.env.PARLEY_TEST_REDIS === '0') return {};
  // Loaded here only: a SQLite run never probes Redis.
  const { redisScope, redisUrl } = await import('./core/redis-support.js');
  const scope = redisScope();
  cleanups.push(scope.cleanup);
  return { redisUrl, redisPrefix: scope.prefix };
}

/**
 * Builds the real app on a temporary SQLite file (or, with `PARLEY_TEST_STORE=postgres`, a
 * temporary PostgreSQL database); it is closed after the test.
 */
export async function buildTestServer(options: ParleyOptions = {}): Promise<FastifyInstance> {
  const store = testStore === 'postgres' && !options.databaseUrl && !options.dataDir ? { databaseUrl: await testDatabaseUrl(), ...(await testRedis()) } : {};
  const app = await buildServer({ dataDir: options.dataDir ?? tempDataDir(), logLevel: 'silent', ...store, ...options });
  cleanups.push(() => app.close());
  return app;
}

/**
 * How many nodes each listening test server is: 1, or 2 with `PARLEY_TEST_NODES=2` on PostgreSQL
 * (`pnpm test:nodes`): two app instances on one database and one Redis prefix, behind a proxy
 * that sends each request and each WebSocket to the other node in turn.
 */
export const testNodes = testStore === 'postgres' && process.env.PARLEY_TEST_NODES === '2' ? 2 : 1;

async function listenOnLoopback(app: FastifyInstance): Promise<number> {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return address.port;
}

/**
 * Builds the app and listens on an ephemeral loopback port. With `PARLEY_TEST_NODES=2` the
 * address is the proxy's in front of two nodes; `app` is the first node, `nodes` both.
 */
export async function startTestServer(options: ParleyOptions = {}) {
  if (testNodes === 2 && !options.databaseUrl && !options.dataDir) return startTwoNodes(options);
  const app = await buildTestServer(options);
  const port = await listenOnLoopback(app);
  return { app, nodes: [app], http: `http://127.0.0.1:${port}`, ws: `ws://127.0.0.1:${port}/ws` };
}

/** Two nodes sharing what a deployment's nodes share: the database, Redis and the secret. */
async function startTwoNodes(options: ParleyOptions) {
  const shared = { databaseUrl: await testDatabaseUrl(), ...(await testRedis()), secret: options.secret ?? randomBytes(32).toString('hex') };
  const nodes: FastifyInstance[] = [];
  for (let i = 0; i < 2; i++) nodes.push(await buildTestServer({ ...options, ...shared }));
  const ports: number[] = [];
  for (const node of nodes) ports.push(await listenOnLoopback(node));
  const proxy = await new AlternatingProxy(ports).listen();
  cleanups.push(() => proxy.close());
  const app = nodes[0]!;
  return { app, nodes, http: `http://127.0.0.1:${proxy.port}`, ws: `ws://127.0.0.1:${proxy.port}/ws` };
}

/** Registers extra cleanup to run after the test. */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

type Frame = VisitorServerFrame | { type: string; [key: string]: unknown };

/**
 * A real WebSocket client that records every frame and lets a test wait for the next frame
 * matching a predicate.
 */
export class TestSocket {
  readonly frames: Frame[] = [];
  private cursor = 0;
  private waiters: Array<() => void> = [];
  closeCode: number | undefined;
  closed: Promise<number>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      this.wake();
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code) => {
        this.closeCode = code;
        this.wake();
        resolve(code);
      }),
    );
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<TestSocket> {
    const socket = new WebSocket(url, { headers });
    const client = new TestSocket(socket);
    onCleanup(() => {
      if (socket.readyState === WebSocket.OPEN || socket.readyState === WebSocket.CONNECTING) socket.terminate();
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return client;
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The next frame (after those already taken) that matches, waiting up to `timeoutMs`. */
  async next<T extends Frame = Frame>(match: (frame: Frame) => boolean = () => true, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.frames.length) {
        const frame = this.frames[this.cursor++]!;
        if (match(frame)) return frame as T;
      }
      if (this.closeCode !== undefined) throw new Error(`socket closed (${this.closeCode}) while waiting`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; frames so far: ${JSON.stringify(this.frames).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the next frame of a given type. */
  nextOf<T extends Frame = Frame>(type: string, timeoutMs?: number): Promise<T> {
    return this.next<T>((f) => f.type === type, timeoutMs);
  }

  close(): void {
    this.socket.close();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

/** The texts of a list of components, for readable assertions. */
export function texts(components: Array<{ type: string; payload: unknown }>): string[] {
  return components.filter((c) => c.type === 'text' || c.type === 'error').map((c) => (c.payload as { text: string }).text);
}

/** A tiny valid PNG (1x1 pixel). */
export const PNG_1PX = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4a30000000049454e44ae426082',
  'hex',
);

/**
 * Runs raw SQL against the test server's database, whichever it is (SQLite or PostgreSQL), for
 * tests that look under the app: `?` placeholders on both; rows come back as plain objects.
 *
 * @example const [{ n }] = await rawSql<{ n: number }>(app, 'SELECT count(*) AS n FROM messages WHERE role = ?', 'user');
 */
export async function rawSql<Row = Record<string, unknown>>(app: FastifyInstance, text: string, ...params: unknown[]): Promise<Row[]> {
  const database = app.database;
  if (database.dialect === 'sqlite') {
    const statement = database.sqlite.prepare(text);
    if (statement.reader) return statement.all(...params) as Row[];
    statement.run(...params);
    return [];
  }
  let n = 0;
  const result = await database.pool.query(text.replace(/\?/g, () => `$${++n}`), params);
  return result.rows as Row[];
}

/** Whether the test server stores in SQLite (some tests look at what only SQLite has). */
export function onSqlite(app: FastifyInstance): boolean {
  return app.database.dialect === 'sqlite';
}
