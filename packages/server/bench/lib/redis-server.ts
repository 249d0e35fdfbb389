import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';

/** A free loopback port, as the kernel hands it out (closed again before it is returned). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no address');
  return address.port;
}

/** Whether a Redis on `port` answers `PING` within `timeoutMs`. */
function pings(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.on('error', () => done(false));
  });
}

/**
 * A Redis of the bench's own: `redis-server` on a free loopback port, without persistence, so the
 * drill can stop and start it (a Redis restart) without touching any other Redis on the machine.
 * Its data does not survive a restart, as with `--save "" --appendonly no` in production.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  restarts = 0;
  /** A drill that exits without stopping it (its time limit) leaves no Redis behind. */
  private readonly killOnExit = () => this.child?.kill('SIGKILL');

  private constructor(readonly port: number) {
    process.on('exit', this.killOnExit);
  }

  /** Starts `redis-server` (which must be on the PATH) and waits until it answers. */
  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.up();
    return redis;
  }

  /** `redis://127.0.0.1:PORT`, for `REDIS_URL`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Stops it (SIGTERM, no save) and starts it again on the same port, empty; `downMs` in between. */
  async restart(downMs = 1000): Promise<void> {
    await this.stop();
    process.on('exit', this.killOnExit);
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.up();
    this.restarts++;
  }

  /** Stops it and waits for the exit. */
  async stop(): Promise<void> {
    process.off('exit', this.killOnExit);
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }

  private async up(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const failed = new Promise<never>((_, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) on port ${this.port}: ${stderr}`)));
    });
    failed.catch(() => undefined);
    this.child = child;
    const deadline = Date.now() + 10_000;
    while (!(await Promise.race([pings(this.port), failed]))) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${this.port}: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
