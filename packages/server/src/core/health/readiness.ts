import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/database.js';
import { prepareSqliteQuery, type PreparedSqliteQuery } from '../../db/prepared.js';

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
  private readonly applied: PreparedSqliteQuery<{ n: number }, Record<string, never>> | undefined;

  constructor(
    db: Kysely<Database>,
    sqlite: SQLite.Database,
    private readonly migrationNames: readonly string[],
  ) {
    try {
      this.applied = prepareSqliteQuery(sqlite, {}, () =>
        db
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

  check(): ReadinessChecks {
    let database = false;
    let migrations = false;
    try {
      const n = this.applied?.get({})?.n;
      database = n !== undefined;
      migrations = n !== undefined && n >= this.migrationNames.length;
    } catch {
      // The database did not answer: both stay false.
    }
    return { database, migrations, shutting_down: this.draining, ...(this.redisHealthy ? { redis: this.redisHealthy() } : {}) };
  }
}
