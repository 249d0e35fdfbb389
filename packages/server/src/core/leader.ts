import type pg from 'pg';

/**
 * Whether this node is the one that runs the periodic jobs that must run on one node only (the
 * retention sweep, the pruning of the webhook log): on SQLite the only process always is
 * (`SoleLeader`); on PostgreSQL the node that holds an advisory lock (`PostgresLeader`). A job
 * started by `every` runs while this node leads and pauses when it stops leading.
 */
export abstract class Leader {
  private leading = false;
  private readonly listeners = new Set<(leading: boolean) => void>();

  /** Whether this node leads now. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** Calls `listener` with the new state on every change; returns a function that stops it. */
  onChange(listener: (leading: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Runs `job` at once whenever this node becomes leader (at once if it is), then every
   * `intervalMs` while it leads; one run at a time. A run that started finishes even if
   * leadership is lost meanwhile, so jobs must be safe to run twice (as deletes of what is
   * expired are). Errors go to `onError`.
   *
   * @example const job = leader.every(3_600_000, () => sweep(), (err) => log.error({ err }, 'sweep failed'));
   */
  every(intervalMs: number, job: () => Promise<unknown>, onError: (error: unknown) => void): LeaderJob {
    return new LeaderJob(this, intervalMs, job, onError);
  }

  /** Lets go of leadership (another node may take it) and stops trying. */
  abstract close(): Promise<void>;

  protected setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    for (const listener of [...this.listeners]) listener(leading);
  }
}

/** A periodic job that runs only while its node leads (see `Leader.every`). */
export class LeaderJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private readonly unsubscribe: () => void;

  constructor(
    leader: Leader,
    private readonly intervalMs: number,
    private readonly job: () => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
  ) {
    this.unsubscribe = leader.onChange((leading) => (leading ? this.resume() : this.pause()));
    if (leader.isLeader) this.resume();
  }

  /** Resolves when the run in progress (if any) has finished. */
  idle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Runs no more; resolves once the run in progress has finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.pause();
    this.unsubscribe();
    await this.running;
  }

  private resume(): void {
    if (this.stopped || this.timer) return;
    this.run();
    this.timer = setInterval(() => this.run(), this.intervalMs);
    this.timer.unref();
  }

  private pause(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Starts a run (synchronously, up to the job's first await) unless one is in progress. */
  private run(): void {
    if (this.running) return;
    this.running = this.runOnce().finally(() => (this.running = undefined));
  }

  private async runOnce(): Promise<void> {
    try {
      await this.job();
    } catch (error) {
      this.onError(error);
    }
  }
}

/** The only process (SQLite): always the leader. */
export class SoleLeader extends Leader {
  constructor() {
    super();
    this.setLeading(true);
  }

  async close(): Promise<void> {
    this.setLeading(false);
  }
}

/** Parley's advisory lock key for leadership ('parm'; the migration lock is 'parl'). */
export const LEADER_LOCK_KEY = 0x7061726d;

export interface PostgresLeaderOptions {
  /** How often a node that does not lead tries to, and the leader checks its connection (default 5 s). */
  retryMs?: number;
  /** Advisory lock key (default `LEADER_LOCK_KEY`); the lock is per database. */
  key?: number;
  /** Told when trying or checking fails (the database is away); leadership is re-tried. */
  onError?: (error: unknown) => void;
}

/**
 * Leadership on PostgreSQL: the node whose session holds the advisory lock `key` leads. The lock
 * is taken with `pg_try_advisory_lock` on a client taken from the pool and kept out of it while
 * this node leads (one of the pool's connections). Every `retryMs` a follower tries again, and the
 * leader checks that its connection still answers. When that connection drops (the client
 * reports an error, or the check fails or takes longer than `retryMs`), the node stops leading at
 * once and destroys the connection: PostgreSQL releases the lock with the session, so another
 * node (or this one, on a new connection) takes it at its next try. A node that dies loses the
 * lock with its connection. When PostgreSQL ends the leader's session, its last words reach the
 * leader before the lock is free, but another node may take the lock before the leader's event
 * loop has read them: for that moment two nodes lead, which is why jobs must be safe to run twice.
 */
export class PostgresLeader extends Leader {
  private client: pg.PoolClient | undefined;
  /** Our 'error' listener on each client we hold, taken off when the client goes back. */
  private readonly dropListeners = new WeakMap<pg.PoolClient, (error: Error) => void>();
  private timer: NodeJS.Timeout | undefined;
  private trying: Promise<void> | undefined;
  private closed = false;
  private readonly retryMs: number;
  private readonly key: number;
  private readonly onError: (error: unknown) => void;

  constructor(
    private readonly pool: pg.Pool,
    options: PostgresLeaderOptions = {},
  ) {
    super();
    this.retryMs = options.retryMs ?? 5_000;
    this.key = options.key ?? LEADER_LOCK_KEY;
    this.onError = options.onError ?? (() => {});
  }

  /** Tries once (resolves when the try is over, leader or not), then keeps trying every `retryMs`. */
  async start(): Promise<void> {
    await this.attempt();
    if (this.closed) return;
    this.timer = setInterval(() => void this.attempt(), this.retryMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.trying;
    const client = this.client;
    if (!client) return;
    this.client = undefined;
    this.setLeading(false);
    try {
      // raw SQL: advisory locks are functions on one session, which Kysely's pool does not pin.
      await client.query('SELECT pg_advisory_unlock($1)', [this.key]);
      this.giveBack(client);
    } catch (error) {
      this.giveBack(client, error);
    }
  }

  private attempt(): Promise<void> {
    this.trying ??= (this.client ? this.check(this.client) : this.acquire()).finally(() => (this.trying = undefined));
    return this.trying;
  }

  /** The leader's connection must answer within `retryMs`, or it is given up (and the lock with it). */
  private async check(client: pg.PoolClient): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        // raw SQL: a ping on the lock's own session, which Kysely's pool does not pin.
        client.query('SELECT 1'),
        // The verdict waits for one poll of the event loop after the timer: a process that was
        // paused (a busy machine) reads an answer that arrived meanwhile before it gives up.
        new Promise((_, reject) => (timer = setTimeout(() => setImmediate(() => reject(new Error('the leader connection did not answer'))), this.retryMs))),
      ]);
    } catch (error) {
      this.lose(client, error);
    } finally {
      clearTimeout(timer);
    }
  }

  private async acquire(): Promise<void> {
    if (this.closed) return;
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      return this.onError(error);
    }
    // A checked-out client with no listener would throw a dropped connection out of the process.
    const listener = (error: Error) => this.lose(client, error);
    this.dropListeners.set(client, listener);
    client.on('error', listener);
    try {
      // raw SQL: advisory locks are functions on one session, which Kysely's pool does not pin.
      const result = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [this.key]);
      const locked = result.rows[0]?.locked === true;
      if (locked && !this.closed) {
        this.client = client;
        this.setLeading(true);
        return;
      }
      // raw SQL: as above.
      if (locked) await client.query('SELECT pg_advisory_unlock($1)', [this.key]);
      this.giveBack(client);
    } catch (error) {
      this.giveBack(client, error);
      this.onError(error);
    }
  }

  /** The lock's session is gone or unreliable: lead no more, destroy the connection (ending the session). */
  private lose(client: pg.PoolClient, error: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.giveBack(client, error);
    this.setLeading(false);
    this.onError(error);
  }

  /**
   * Returns a client to the pool; given an error, the pool destroys it instead (its session
   * ends). A destroyed client may still report errors: they are ignored rather than thrown.
   */
  private giveBack(client: pg.PoolClient, error?: unknown): void {
    const listener = this.dropListeners.get(client);
    if (listener) client.removeListener('error', listener);
    this.dropListeners.delete(client);
    if (error === undefined) return client.release();
    client.on('error', () => {});
    client.release(error instanceof Error ? error : new Error(String(error)));
  }
}
