import type { ChildProcess } from 'node:child_process';
import type { ServerJob, ServerUsage } from '../server-child.js';
import { benchModule, exited, forkModule, nextMessage, request, stop, type ForkOptions } from './children.js';

/** A server child that is up and listening. */
export interface RunningServer {
  child: ChildProcess;
  port: number;
  /** `http://127.0.0.1:PORT` + path. */
  http(path?: string): string;
  /** `ws://127.0.0.1:PORT` + path. */
  ws(path?: string): string;
  /** The child's CPU time and RSS now; `gc` collects garbage first (the child runs with --expose-gc). */
  usage(gc?: boolean): Promise<ServerUsage>;
  /** Every unhandled rejection or uncaught exception the child reported. */
  faults: string[];
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts `bench/server-child.ts` and waits until it listens. */
export async function startServerChild(job: ServerJob, options: ForkOptions = {}): Promise<RunningServer> {
  const child = forkModule(benchModule('server-child.ts'), job, {
    ...options,
    execArgv: ['--expose-gc', ...(options.execArgv ?? [])],
  });
  const faults: string[] = [];
  child.on('message', (message: { type: string; kind?: string; detail?: string }) => {
    if (message.type === 'fault') faults.push(`${message.kind}: ${message.detail}`);
  });
  let ready: { port: number };
  try {
    ready = await nextMessage<{ type: 'ready'; port: number }>(child, (m) => m.type === 'ready', 30_000, 'the server to listen');
  } catch (error) {
    child.kill('SIGKILL');
    await exited(child);
    throw error;
  }
  const port = ready.port;
  return {
    child,
    port,
    http: (path = '') => `http://127.0.0.1:${port}${path}`,
    ws: (path = '') => `ws://127.0.0.1:${port}${path}`,
    usage: (gc = false) => request<ServerUsage & { id: number }>(child, { type: 'usage', gc }),
    faults,
    stop: () => stop(child),
  };
}
