import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresGroupCommit } from '../../src/db/postgres-group-commit.js';
import { AsyncStep, type Work } from '../../src/db/step.js';
import type { BatchTail } from '../../src/db/write-queue.js';
import { createTestDatabase, requirePostgres, type TestDatabase } from './postgres-helper.js';

const hasPostgres = await requirePostgres();

describe.skipIf(!hasPostgres)('group commit on PostgreSQL', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  async function open(): Promise<{ writes: PostgresGroupCommit; insert: (v: string) => AsyncStep<number>; values: () => Promise<string[]> }> {
    database = await createTestDatabase('group_commit');
    pool = new pg.Pool({ connectionString: database.url, max: 3 });
    await pool.query('CREATE TABLE t (id serial PRIMARY KEY, v text NOT NULL UNIQUE)');
    const insert = (v: string) => new AsyncStep({ name: 'ins', text: 'INSERT INTO t (v) VALUES ($1) RETURNING id', values: [v] }, pool, (r) => r.rows[0].id as number);
    const values = async () => (await pool.query<{ v: string }>('SELECT v FROM t ORDER BY v')).rows.map((r) => r.v);
    return { writes: new PostgresGroupCommit(pool), insert, values };
  }

  afterEach(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('commits every write queued in one event-loop turn as one transaction, in order', async () => {
    const { writes, insert, values } = await open();
    const ids = await Promise.all([...Array(50).keys()].map((i) => writes.run(() => insert(`v${String(i).padStart(2, '0')}`))));
    expect(ids).toEqual([...Array(50).keys()].map((i) => i + 1));
    expect(writes.commits).toBe(1);
    expect(await values()).toHaveLength(50);
  });

  it('drives a generator write: each statement on the same transaction, seeing the ones before', async () => {
    const { writes, insert } = await open();
    const count = () => new AsyncStep({ name: 'count', text: 'SELECT count(*)::int AS n FROM t', values: [] }, pool, (r) => r.rows[0].n as number);
    function* work(): Work<number[]> {
      yield* insert('a');
      const seen = yield* count();
      yield* insert('b');
      return [seen, yield* count()];
    }
    // Outside the transaction, the rows appear only with the commit.
    const pending = writes.run(work);
    expect(await pending).toEqual([1, 2]);
    expect(await count()).toBe(2);
  });

  it('rolls back only the write that failed, rejects only its caller, and runs callbacks of committed writes once', async () => {
    const { writes, insert, values } = await open();
    const learnt: string[] = [];
    const write = (v: string, fail = false) =>
      writes.run(function* () {
        yield* insert(v);
        writes.afterCommit(() => learnt.push(v));
        if (fail) yield* insert(v); // violates UNIQUE: its own insert rolls back with it
      });
    const outcomes = await Promise.allSettled([write('a'), write('b', true), write('c')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await values()).toEqual(['a', 'c']);
    expect(learnt).toEqual(['a', 'c']);
    expect(writes.commits).toBe(1);
  });

  it('queues writes that arrive while a batch commits into the next batch', async () => {
    const { writes, insert, values } = await open();
    const first = writes.run(() => insert('first'));
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is now in flight
    const later = [writes.run(() => insert('second')), writes.run(() => insert('third'))];
    await Promise.all([first, ...later]);
    expect(await values()).toEqual(['first', 'second', 'third']);
    expect(writes.commits).toBe(2);
  });

  describe('two batches in flight', () => {
    /**
     * A write that records when its work starts, inserts `v` and, when `slow`, holds its batch open
     * for 300 ms. The conversations it names have no rows here, so the database locks nothing and
     * only the queue decides what runs beside what.
     */
    async function openWithLog() {
      const opened = await open();
      await pool.query('CREATE TABLE conversations (id text PRIMARY KEY)');
      const { writes, insert } = opened;
      const log: string[] = [];
      const sleep = new AsyncStep({ name: 'sleep', text: 'SELECT pg_sleep(0.3)', values: [] }, pool, () => undefined);
      const write = (v: string, lock: string | undefined, slow = false) =>
        writes
          .run(
            function* () {
              log.push(`start ${v}`);
              yield* insert(v);
              if (slow) yield* sleep;
              log.push(`done ${v}`);
              writes.afterCommit(() => log.push(`committed ${v}`));
            },
            { lock },
          )
          .then(() => log.push(`resolved ${v}`));
      const inFlight = () => new Promise((resolve) => setImmediate(resolve));
      return { ...opened, write, log, inFlight };
    }

    it("starts the next batch beside one in flight for other conversations, and holds a conversation's next write until its batch committed", async () => {
      const { writes, write, log, inFlight, values } = await openWithLog();
      const first = write('a', 'c1', true);
      await inFlight();
      const beside = write('b', 'c2');
      const next = write('a-again', 'c1');
      await Promise.all([first, beside, next]);
      // b committed while a's batch slept; c1's second write started only once a had committed.
      expect(log.indexOf('resolved b')).toBeLessThan(log.indexOf('committed a'));
      expect(log.indexOf('start a-again')).toBeGreaterThan(log.indexOf('committed a'));
      expect(writes.commits).toBe(3);
      expect(await values()).toEqual(['a', 'a-again', 'b']);
    });

    it('runs a write that names no conversation after the batch in flight, never beside one, and before the writes queued after it', async () => {
      const { write, log, inFlight } = await openWithLog();
      const first = write('a', 'c1', true);
      await inFlight();
      const free = write('free', undefined, true);
      const after = write('b', 'c2');
      await Promise.all([first, free, after]);
      expect(log.indexOf('start free')).toBeGreaterThan(log.indexOf('committed a'));
      // b waits for free's statements (in free's batch, after it, or in the next).
      expect(log.indexOf('start b')).toBeGreaterThan(log.indexOf('done free'));
    });

    it('commits every batch in flight on close', async () => {
      const { writes, write, inFlight, values } = await openWithLog();
      const first = write('a', 'c1', true);
      await inFlight();
      const beside = write('b', 'c2', true);
      await inFlight();
      await writes.close();
      await Promise.all([first, beside]);
      expect(await values()).toEqual(['a', 'b']);
    });
  });

  it('rejects every caller of a batch whose connection fails, and tells none of them it committed', async () => {
    const { writes, insert, values } = await open();
    const kill = () =>
      new AsyncStep({ name: '', text: 'SELECT pg_terminate_backend(pg_backend_pid())', values: [] }, pool, () => undefined);
    const outcomes = await Promise.allSettled([
      writes.run(() => insert('x')),
      writes.run(function* () {
        yield* kill();
      }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(await values()).toEqual([]);
    // The queue goes on with a fresh connection.
    expect(await writes.run(() => insert('after'))).toBeGreaterThan(0);
  });

  it('commits what is queued on close and refuses writes afterwards', async () => {
    const { writes, insert, values } = await open();
    const queued = writes.run(() => insert('last'));
    await writes.close();
    await queued;
    expect(await values()).toEqual(['last']);
    await expect(writes.run(() => 1)).rejects.toThrow('The database is closing');
  });
  it('runs a batch tail once before the commit, from what the writes that committed added; a failing tail is undone alone', async () => {
    const { writes, insert, values } = await open();
    await pool.query('CREATE TABLE total (k text PRIMARY KEY, n int NOT NULL)');
    const upsert = (k: string | null, n: number) =>
      new AsyncStep({ name: 'sum', text: 'INSERT INTO total (k, n) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET n = total.n + excluded.n', values: [k, n] }, pool, () => undefined);
    let finished = 0;
    const failures: unknown[] = [];
    const tail: BatchTail<Map<string, number>> = {
      start: () => new Map(),
      *finish(sums) {
        finished++;
        for (const [k, n] of sums) yield* upsert(k, n);
        if (sums.has('boom')) yield* upsert(null, 1); // NOT NULL: the tail fails, the writes commit
      },
      failed: (error) => failures.push(error),
    };
    const write = (v: string, k: string, n: number, fail = false) =>
      writes.run(function* () {
        writes.addToBatch(tail, (sums) => sums.set(k, (sums.get(k) ?? 0) + n));
        yield* insert(v);
        if (fail) yield* insert(v); // violates UNIQUE: this write adds nothing
      });
    const totals = async () => (await pool.query('SELECT k, n FROM total ORDER BY k')).rows;
    const outcomes = await Promise.allSettled([write('a', 'x', 1), write('b', 'x', 2), write('c', 'y', 10, true), write('d', 'y', 5)]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    expect(finished).toBe(1);
    expect(await totals()).toEqual([{ k: 'x', n: 3 }, { k: 'y', n: 5 }]);
    expect(writes.commits).toBe(1);

    await Promise.all([write('e', 'x', 1), write('f', 'boom', 1)]);
    expect(failures).toHaveLength(1);
    expect(await values()).toEqual(['a', 'b', 'd', 'e', 'f']);
    expect(await totals()).toEqual([{ k: 'x', n: 3 }, { k: 'y', n: 5 }]);
  });

  describe('side by side in one batch', () => {
    /** Writes of two statements each, over `t`, naming conversation rows the batch locks. */
    async function openWithConversations() {
      const opened = await open();
      await pool.query(`CREATE TABLE conversations (id text PRIMARY KEY); INSERT INTO conversations VALUES ('c1'), ('c2'), ('c3')`);
      const { writes, insert } = opened;
      const runs: string[] = [];
      const heard: string[] = [];
      const twice = (v: string, lock: string | undefined, second = `${v}2`) =>
        writes.run(
          function* () {
            runs.push(v);
            try {
              yield* insert(`${v}1`);
              yield* insert(second);
            } catch (error) {
              heard.push(v);
              throw error;
            }
          },
          { lock },
        );
      const inserted = async () => (await pool.query<{ v: string }>('SELECT v FROM t ORDER BY id')).rows.map((r) => r.v);
      return { ...opened, twice, runs, heard, inserted };
    }

    it("sends the writes of different conversations without waiting for each other's answers, one conversation's writes in turn", async () => {
      const { writes, twice, inserted } = await openWithConversations();
      await Promise.all([twice('a', 'c1'), twice('b', 'c2'), twice('again', 'c1')]);
      // b's first statement left before a's first answer came back; c1's second write waited for its first.
      expect(await inserted()).toEqual(['a1', 'b1', 'a2', 'b2', 'again1', 'again2']);
      expect(writes.commits).toBe(1);
    });

    it('runs a write that names no conversation after every write before it, and the writes after it after it', async () => {
      const { twice, inserted } = await openWithConversations();
      await Promise.all([twice('a', 'c1'), twice('b', 'c2'), twice('free', undefined), twice('c', 'c3'), twice('d', 'c1')]);
      expect(await inserted()).toEqual(['a1', 'b1', 'a2', 'b2', 'free1', 'free2', 'c1', 'd1', 'c2', 'd2']);
    });

    it('tells only the write whose statement failed, and runs the others again in savepoints', async () => {
      const { writes, insert, twice, runs, heard, values } = await openWithConversations();
      await writes.run(() => insert('taken'));
      const outcomes = await Promise.allSettled([twice('a', 'c1'), twice('b', 'c2', 'taken'), twice('c', 'c3')]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(heard).toEqual(['b']);
      // Side by side, a and c ran as far as the abort; then again, each in its savepoint; b did not run again.
      expect(runs).toEqual(['a', 'b', 'c', 'a', 'c']);
      expect(await values()).toEqual(['a1', 'a2', 'c1', 'c2', 'taken']);
    });
  });
});
