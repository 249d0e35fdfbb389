import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../server/src/server.js';

/** The owner every test server starts with. */
export const OWNER = { email: 'owner@parley.test', password: 'owner-password-1' } as const;

/** A real Parley server on loopback with its own temporary data folder and a known owner. */
export class TestServer {
  app: Awaited<ReturnType<typeof buildServer>> | undefined;
  port = 0;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'parley-admin-'));

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.app = await buildServer({
      dataDir: this.dataDir,
      logLevel: 'silent',
      adminEmail: OWNER.email,
      adminPassword: OWNER.password,
      limits: { loginPerMinutePerEmail: 1000, loginPerMinutePerIp: 1000 },
      // The webhook screen's test sends to a receiver on loopback.
      webhooks: { allowPrivate: true, timeoutMs: 3000, retryBaseMs: 500, retryMaxMs: 2000 },
    } as Parameters<typeof buildServer>[0]);
    await this.app.listen({ host: '127.0.0.1', port: this.port });
    const address = this.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    this.port = address.port;
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = undefined;
  }

  /** Stops the server and removes its data. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** Signs in over HTTP and returns the token. */
  async token(email: string = OWNER.email, password: string = OWNER.password): Promise<string> {
    const response = await fetch(`${this.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  }
}

/** Storage in memory, with the same interface as `localStorage`. */
export class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}

/** Waits until `check` returns something truthy, polling every 10 ms. */
export async function until<T>(check: () => T | Promise<T>, what = 'condition', timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
