import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../src/server.js';
import type { ParleyOptions } from '../../src/config.js';

/**
 * A real Parley server on loopback with its own temporary data folder, for the widget's and the
 * dashboard's tests. It can be stopped and started again on the same port and data (a restart in
 * the middle of a conversation).
 */
export class LoopbackServer {
  app: Awaited<ReturnType<typeof buildServer>> | undefined;
  port = 0;
  readonly dataDir: string;

  constructor(
    /** The name the URLs use: `127.0.0.1`, or `localhost` to be another origin than a page on 127.0.0.1. */
    private readonly host = '127.0.0.1',
    private readonly options: ParleyOptions = {},
    prefix = 'parley-test-',
  ) {
    this.dataDir = mkdtempSync(join(tmpdir(), prefix));
  }

  get url(): string {
    return `http://${this.host}:${this.port}`;
  }

  get wsUrl(): string {
    return `ws://${this.host}:${this.port}`;
  }

  async start(): Promise<this> {
    this.app = await buildServer({ dataDir: this.dataDir, logLevel: 'silent', ...this.options });
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
}
