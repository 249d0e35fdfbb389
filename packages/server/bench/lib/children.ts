import { fork, type ChildProcess } from 'node:child_process';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';

/** The server package's folder: children run from here so `--import tsx` resolves. */
export const serverPackageDir = fileURLToPath(new URL('../../', import.meta.url));

/** A bench module (TypeScript) by its path relative to `bench/`. */
export function benchModule(relative: string): string {
  return fileURLToPath(new URL(`../${relative}`, import.meta.url));
}

/**
 * Scheduling priority (nice value) for every bench child, from `--priority`: on a machine busy with
 * other work, a negative value (root only) keeps that work from skewing the figures.
 */
let childPriority = 0;

export function setChildPriority(priority: number): void {
  childPriority = priority;
  if (priority !== 0) setPriority(priority);
}

export interface ForkOptions {
  /** Extra Node flags (`--expose-gc`, `--cpu-prof`, `--conditions=source`). */
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Where the child's stdout and stderr go: inherited (default), piped, or dropped. */
  output?: 'inherit' | 'pipe' | 'ignore';
}

/**
 * Starts a TypeScript module of the bench as a separate Node process with an IPC channel. The
 * first argument is a JSON job, so every child can be started by hand for debugging.
 */
export function forkModule(file: string, job: unknown, options: ForkOptions = {}): ChildProcess {
  const output = options.output ?? 'inherit';
  const child = fork(file, [JSON.stringify(job)], {
    cwd: serverPackageDir,
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', output, output, 'ipc'],
    serialization: 'json',
  });
  if (childPriority !== 0 && child.pid !== undefined) setPriority(child.pid, childPriority);
  return child;
}

/** A message from a child, discriminated on `type`. */
export interface ChildMessage {
  type: string;
  [key: string]: unknown;
}

/**
 * The next IPC message from `child` that matches, rejecting when the child exits first or the
 * time runs out: nothing in the bench waits forever.
 */
export function nextMessage<T extends { type: string }>(
  child: ChildProcess,
  match: (message: ChildMessage) => boolean,
  timeoutMs: number,
  what = 'a message',
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cleanup = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const onMessage = (message: ChildMessage) => {
      if (!match(message)) return;
      cleanup();
      resolve(message as T);
    };
    const onExit = (code: number | null, signal: string | null) => {
      cleanup();
      reject(new Error(`child ${child.pid} exited (${signal ?? code}) while waiting for ${what}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} from child ${child.pid}`));
    }, timeoutMs);
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

let nextRequestId = 0;

/** Sends `message` with a fresh `id` and resolves with the child's reply carrying the same id. */
export function request<T extends { type: string }>(child: ChildProcess, message: ChildMessage, timeoutMs = 10_000): Promise<T> {
  const id = ++nextRequestId;
  const reply = nextMessage<T>(child, (m) => m.id === id, timeoutMs, `a reply to ${message.type}`);
  child.send({ ...message, id });
  return reply;
}

/** Resolves when the child has exited, with its code and signal; kills it after `timeoutMs`. */
export function exited(child: ChildProcess, timeoutMs = 15_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/** Stops a child: SIGTERM, then SIGKILL if it lingers. */
export async function stop(child: ChildProcess, timeoutMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  await exited(child, timeoutMs);
}
