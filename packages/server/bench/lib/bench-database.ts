import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The PostgreSQL server the drills make their databases on (a user that may create and drop them):
 * `PARLEY_TEST_POSTGRES_URL`, as for the tests, by default the local one CI starts.
 */
export const postgresAdminUrl = process.env.PARLEY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A PostgreSQL database the bench (or a drill) makes for one deployment it measures, and drops at the end. The
 * bench's own queries about it go through one connection to the maintenance database, so they
 * never count among the database's transactions; the few that must read the database itself
 * (its messages) are counted and taken off.
 */
export class BenchDatabase {
  /** Transactions the bench itself ran in the database (its message counts). */
  private ownTransactions = 0;

  private constructor(
    private readonly admin: pg.Client,
    /** The database's name. */
    readonly name: string,
    /** `postgres://…/<name>`: what the nodes get as `DATABASE_URL`. */
    readonly url: string,
  ) {}

  /** Creates an empty database named after `label` on the server of `adminUrl` (a maintenance database such as `postgres`). */
  static async create(adminUrl: string, label: string): Promise<BenchDatabase> {
    if (!/^[a-z0-9_]+$/.test(label)) throw new Error(`a database label is lowercase letters, digits and _: ${label}`);
    const name = `parley_bench_${label}_${process.pid}_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}`);
    } catch (error) {
      await admin.end();
      throw error;
    }
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return new BenchDatabase(admin, name, url.toString());
  }

  /** The bench's own connection to the database (for its message counts), open while it is needed. */
  private own: { client: pg.Client; pid: number } | undefined;

  /**
   * Committed plus rolled-back transactions of the database so far (`pg_stat_database`), less the
   * bench's own. PostgreSQL 15 publishes a backend's counts when it goes idle, at most once a
   * second, and when it exits: read it after the nodes stopped, or over a second after they went
   * idle. The bench's own connection is closed first, so its counts are in.
   */
  async transactions(): Promise<number> {
    await this.closeOwn();
    await this.admin.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await this.admin.query<{ n: string }>('SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = $1', [this.name]);
    return Number(rows[0]?.n ?? 0) - this.ownTransactions;
  }

  /** The pids of the server processes (backends) serving the nodes now (the bench's own left out). */
  async backends(): Promise<number[]> {
    const { rows } = await this.admin.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1', [this.name]);
    return rows.map((r) => r.pid).filter((pid) => pid !== this.own?.pid);
  }

  /** Waits until no node is connected (they stopped and their connections closed), at most `timeoutMs`. */
  async whenDisconnected(timeoutMs = 10_000): Promise<boolean> {
    for (const until = Date.now() + timeoutMs; Date.now() < until; ) {
      if ((await this.backends()).length === 0) return true;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }

  /**
   * Messages stored: `count` of every row (exact; for the whole run), or `lastId` (the highest id,
   * read from the index at once; ids of rolled-back inserts are skipped, so it can run a little ahead).
   */
  async messages(how: 'count' | 'lastId'): Promise<number> {
    if (!this.own) {
      const client = new pg.Client({ connectionString: this.url });
      await client.connect();
      this.ownTransactions++;
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      this.own = { client, pid: rows[0]!.pid };
    }
    this.ownTransactions++;
    const query = how === 'count' ? 'SELECT count(*) AS n FROM messages' : 'SELECT coalesce(max(id), 0) AS n FROM messages';
    const { rows } = await this.own.client.query<{ n: string }>(query);
    return Number(rows[0]?.n ?? 0);
  }

  private async closeOwn(): Promise<void> {
    if (!this.own) return;
    const { client, pid } = this.own;
    this.own = undefined;
    await client.end();
    // Its backend publishes its counts as it exits.
    for (const until = Date.now() + 5000; Date.now() < until; ) {
      const { rows } = await this.admin.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [pid]);
      if (rows.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Drops the database (closing what is still connected) and the maintenance connection. */
  async drop(): Promise<void> {
    try {
      await this.closeOwn().catch(() => undefined);
      await this.admin.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
    } finally {
      await this.admin.end();
    }
  }
}
