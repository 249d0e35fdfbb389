import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchModule, exited } from '../lib/children.js';
import { startServerChild, type RunningServer } from '../lib/servers.js';
import type { ServerJob } from '../server-child.js';

/** What every node of the drill's deployment shares. */
export interface ClusterOptions {
  /** `DATABASE_URL` of every node. */
  databaseUrl: string;
  /** `REDIS_URL` of every node. */
  redisUrl: string;
  /** `PARLEY_SECRET`: one for all, so a token signed by one node is good on every other. */
  secret: string;
  adminPassword: string;
  limits: ServerJob['limits'];
  webhooks: ServerJob['webhooks'];
  /** Run the nodes from `src` through tsx instead of `dist`. */
  fromSource?: boolean;
}

/**
 * The drill's nodes: server children (`bench/server-child.ts`) on one PostgreSQL database and one
 * Redis, each with a data folder of its own (nothing in it is shared: uploads live in the
 * database). A node killed is started again on the same port, so the balancer in front finds it
 * there once it listens.
 */
export class DrillCluster {
  readonly nodes: RunningServer[] = [];
  /** Every process ever started (restarts included), for their faults and exit codes. */
  readonly started: RunningServer[] = [];
  private readonly dataDirs: string[] = [];
  kills = 0;
  /** Errors the nodes logged (level error and above), as `node N: message: error`, the first 50. */
  readonly loggedErrors: string[] = [];
  /** How many errors the nodes logged in all. */
  loggedErrorCount = 0;

  constructor(private readonly options: ClusterOptions) {}

  /** The nodes' ports, in order (fixed for the whole drill). */
  get ports(): number[] {
    return this.nodes.map((n) => n.port);
  }

  /** Starts one more node on a free port. */
  async add(): Promise<RunningServer> {
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-drill-node-'));
    this.dataDirs.push(dataDir);
    const node = await this.launch(this.dataDirs.length - 1, 0);
    this.nodes.push(node);
    return node;
  }

  /** SIGKILL for node `index` (no hook runs, nothing is released), then starts it again on its port. */
  async killAndRestart(index: number, downMs: number): Promise<void> {
    const node = this.nodes[index]!;
    node.child.kill('SIGKILL');
    await exited(node.child);
    this.kills++;
    await new Promise((resolve) => setTimeout(resolve, downMs));
    this.nodes[index] = await this.launch(index, node.port);
  }

  /** SIGTERM to every node, as a rolling stop; returns the exit code (or signal) of each. */
  async stop(): Promise<Array<number | string | null>> {
    await Promise.all(this.nodes.map((n) => n.stop()));
    return this.nodes.map((n) => n.child.exitCode ?? n.child.signalCode);
  }

  /** Kills whatever still runs and removes the data folders. */
  dispose(): void {
    for (const node of this.started) if (node.child.exitCode === null && node.child.signalCode === null) node.child.kill('SIGKILL');
    for (const dir of this.dataDirs) rmSync(dir, { recursive: true, force: true });
  }

  /** Every unhandled rejection or uncaught exception any node reported. */
  get faults(): string[] {
    return this.started.flatMap((n) => n.faults);
  }

  /** Keeps what a node logs at level error (pino JSON lines on stdout) for the report. */
  private collectErrors(index: number, server: RunningServer): void {
    let buffered = '';
    server.child.stdout?.setEncoding('utf8');
    server.child.stdout?.on('data', (chunk: string) => {
      const lines = (buffered + chunk).split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        try {
          const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string; code?: string } };
          if ((entry.level ?? 0) < 50) continue;
          this.loggedErrorCount++;
          if (this.loggedErrors.length < 50) this.loggedErrors.push(`node ${index}: ${entry.msg}: ${entry.err?.code ?? ''} ${entry.err?.message ?? ''}`.trim());
        } catch {
          // Not a log line.
        }
      }
    });
  }

  private async launch(index: number, port: number): Promise<RunningServer> {
    const { options } = this;
    const server = await startServerChild(
      {
        kind: 'parley',
        dataDir: this.dataDirs[index]!,
        port,
        flowFile: benchModule('flows/turns.json'),
        logLevel: 'error',
        limits: options.limits,
        adminPassword: options.adminPassword,
        webhooks: options.webhooks,
      },
      {
        execArgv: options.fromSource ? ['--conditions=source'] : [],
        output: 'pipe',
        env: { DATABASE_URL: options.databaseUrl, REDIS_URL: options.redisUrl, PARLEY_SECRET: options.secret },
      },
    );
    this.collectErrors(index, server);
    server.child.stderr?.resume();
    this.started.push(server);
    return server;
  }
}
