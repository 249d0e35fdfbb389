import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../server/src/server.js';

/**
 * A real Parley server on loopback with its own temporary data folder, which can be stopped and
 * started again on the same port and data (a restart in the middle of a conversation).
 */
export class TestServer {
  app: Awaited<ReturnType<typeof buildServer>> | undefined;
  port = 0;
  readonly dataDir = mkdtempSync(join(tmpdir(), 'parley-widget-'));

  constructor(private readonly host = '127.0.0.1') {}

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  async start(): Promise<this> {
    this.app = await buildServer({ dataDir: this.dataDir, logLevel: 'silent' });
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

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** Stops the server and removes its data. */
  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  /** The stored messages of a session, straight from the HTTP API. */
  async history(session: string): Promise<Array<{ seq: number; role: string; client_id?: string; components: Array<{ type: string; payload: Record<string, unknown> }> }>> {
    const response = await fetch(`${this.url}/api/chatbot/messages?chatbot_session=${session}`);
    const body = (await response.json()) as { messages: never[] };
    return body.messages;
  }
}

/** Storage in memory, with the same interface as `localStorage`. */
export class MemoryStorage {
  readonly data = new Map<string, string>();
  writes = 0;
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.writes++;
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}

export { until } from './until.js';
