import { describe, expect, it } from 'vitest';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { LEADER_LOCK_KEY, PostgresLeader, SoleLeader } from '../../src/core/leader.js';
import { buildTestServer, onCleanup, testStore } from '../helper.js';
import { createTestDatabase, requirePostgres } from '../db/postgres-helper.js';
import { until } from '../support/until.js';

/** Counts the runs of a job that runs every 20 ms while the app's node leads. */
function countRuns(app: FastifyInstance) {
  const counter = { runs: 0 };
  const job = app.leader.every(20, async () => void counter.runs++, () => {});
  onCleanup(() => job.stop());
  return counter;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the leader of the periodic jobs', () => {
  it('is the only process itself on SQLite, and runs a job at once and then on its interval', async () => {
    const leader = new SoleLeader();
    expect(leader.isLeader).toBe(true);
    let runs = 0;
    const job = leader.every(20, async () => void runs++, () => {});
    expect(runs).toBe(1);
    await until(() => runs >= 3, 'two more runs');
    await job.stop();
    const stopped = runs;
    await pause(60);
    expect(runs).toBe(stopped);
  });

  it('leads alone: a lone node, on either store, runs the jobs', async () => {
    const app = await buildTestServer();
    expect(app.leader.isLeader).toBe(true);
    expect(app.leader).toBeInstanceOf(testStore === 'postgres' ? PostgresLeader : SoleLeader);
    const counter = countRuns(app);
    await until(() => counter.runs >= 2, 'the job to run');
  });
});

const hasPostgres = await requirePostgres();

/** Two app instances on one PostgreSQL database, trying for leadership every 50 ms. */
async function twoNodes() {
  const database = await createTestDatabase('leader');
  onCleanup(() => database.drop());
  const options = { databaseUrl: database.url, leaderRetryMs: 50 };
  const a = await buildTestServer(options);
  const b = await buildTestServer(options);
  return { database, a, b };
}

/** The server process ids holding the leader's advisory lock. */
async function lockHolders(url: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = 0 AND objid = $1 AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
      [LEADER_LOCK_KEY],
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}

describe('the leader of the periodic jobs on several nodes (PostgreSQL)', () => {
  it.skipIf(!hasPostgres)('is exactly one of two nodes, whose jobs alone run; when it closes the other leads and runs them', async () => {
    const { database, a, b } = await twoNodes();
    // The first node took the lock as it started; the second found it taken.
    expect([a.leader.isLeader, b.leader.isLeader]).toEqual([true, false]);
    expect(await lockHolders(database.url)).toHaveLength(1);
    const onA = countRuns(a);
    const onB = countRuns(b);
    await pause(200);
    expect(onA.runs).toBeGreaterThan(0);
    expect(onB.runs).toBe(0);
    // Still exactly one after a good many tries by the other.
    expect([a.leader.isLeader, b.leader.isLeader]).toEqual([true, false]);

    await a.close();
    await until(() => b.leader.isLeader, 'node B to lead', 5_000);
    expect(await lockHolders(database.url)).toHaveLength(1);
    await until(() => onB.runs >= 2, "node B's job to run");
  });

  it.skipIf(!hasPostgres)("stops leading when the lock's connection drops, and leads again once it has the lock on a new one", async () => {
    const { database, a, b } = await twoNodes();
    const changes: Array<[string, boolean, number]> = [];
    a.leader.onChange((leading) => changes.push(['a', leading, performance.now()]));
    b.leader.onChange((leading) => changes.push(['b', leading, performance.now()]));
    // One holder (a check that misses its 50 ms on a busy machine lets the lock go for a moment).
    const [holder] = await until(async () => {
      const pids = await lockHolders(database.url);
      return pids.length === 1 ? pids : undefined;
    }, 'one lock holder');

    // PostgreSQL ends the leader's session (as a network cut or a restart would): the lock goes with it.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    onCleanup(() => admin.end());
    const from = changes.length;
    const before = Number(a.leader.isLeader) + Number(b.leader.isLeader);
    await admin.query('SELECT pg_terminate_backend($1)', [holder]);

    await until(() => changes.slice(from).some(([, leading]) => !leading), 'the leader to stop leading', 5_000);
    await until(() => a.leader.isLeader !== b.leader.isLeader, 'one node to lead again', 5_000);
    const holders = await until(async () => {
      const pids = await lockHolders(database.url);
      return pids.length === 1 ? pids : undefined;
    }, 'one lock holder');
    expect(holders[0]).not.toBe(holder);
    // Two leaders at once only for the moment between PostgreSQL ending the leader's session (which
    // frees the lock) and the leader reading that on its socket: the session's last words reach it
    // before another node can hold the lock, so the overlap is the time its event loop takes to read them, well
    // under the default check interval (5 s). Told by the changes in order since the termination.
    let leading = before;
    let twoSince: number | undefined;
    for (const [, now, at] of changes.slice(from)) {
      leading += now ? 1 : -1;
      expect(leading).toBeLessThanOrEqual(2);
      if (leading === 2) twoSince = at;
      else if (twoSince !== undefined) {
        expect(at - twoSince).toBeLessThan(1_000);
        twoSince = undefined;
      }
    }
    expect(leading).toBe(1);
  });
});
