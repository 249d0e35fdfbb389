import type { DatabaseHandle } from '../../db/handle.js';
import { prepareQuery, type PreparedQuery } from '../../db/prepared.js';

/** Kysely's own record of the migrations that ran. */
interface MigrationsTable {
  name: string;
  timestamp: string;
}

/** What `/readyz` checks, each true when fine. */
export interface ReadinessChecks {
  database: boolean;
  migrations: boolean;
  shutting_down: boolean;
  /** With `REDIS_URL` only: the bus's Redis subscription is up. */
  redis?: boolean;
}

/**
 * Whether this node should get traffic: the database answers, every migration this version knows
 * has run, and the node is not draining. Each check is one tiny query, so a load balancer may poll
 * it every second.
 */
export class Readiness {
  private draining = false;
  private redisHealthy: (() => boolean) | undefined;
  private readonly applied: PreparedQuery<{ n: number | string }, Record<string, never>> | undefined;

  constructor(
    database: DatabaseHandle,
    private readonly migrationNames: readonly string[],
  ) {
    try {
      this.applied = prepareQuery(database, {}, () =>
        database.db
          .withTables<{ kysely_migration: MigrationsTable }>()
          .selectFrom('kysely_migration')
          .select((eb) => eb.fn.countAll<number>().as('n')),
      );
    } catch {
      this.applied = undefined;
    }
  }

  /** Marks the node as stopping: `/readyz` answers 503 from now on while requests in flight finish. */
  drain(): void {
    this.draining = true;
  }

  /** Makes the node not ready while `healthy()` is false (the Redis bus's subscription). */
  watchRedis(healthy: () => boolean): void {
    this.redisHealthy = healthy;
  }

  /** Whether every check passes. */
  static ready(checks: ReadinessChecks): boolean {
    return checks.database && checks.migrations && !checks.shutting_down && checks.redis !== false;
  }

  get shuttingDown(): boolean {
    return this.draining;
  }

  /** On SQLite the query runs synchronously inside the step; on PostgreSQL it takes one pooled round trip. */
  async check(): Promise<ReadinessChecks> {
    let database = false;
    let migrations = false;
    try {
      const row = await this.applied?.get({});
      const n = row === undefined ? undefined : Number(row.n);
      database = n !== undefined;
      migrations = n !== undefined && n >= this.migrationNames.length;
    } catch {
      // The database did not answer: both stay false.
    }
    return { database, migrations, shutting_down: this.draining, ...(this.redisHealthy ? { redis: this.redisHealthy() } : {}) };
  }
}
