import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresGroupCommit } from '../../src/db/postgres-group-commit.js';
import { AsyncStep, type Work } from '../../src/db/step.js';
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
});

describe.skipIf(!hasPostgres)('group commit on PostgreSQL: batches in flight at once', () => {
  let database: TestDatabase;
  let pool: pg.Pool;

  /** A queue over a table `t` and the conversation rows batches lock; `sleep` holds a batch open. */
  async function open(batchesInFlight?: number) {
    database = await createTestDatabase('group_commit_overlap');
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
    await pool.query('CREATE TABLE t (id serial PRIMARY KEY, v text NOT NULL UNIQUE)');
    await pool.query(`CREATE TABLE conversations (id text PRIMARY KEY); INSERT INTO conversations VALUES ('c1'), ('c2'), ('c3')`);
    const insert = (v: string) => new AsyncStep({ name: 'ins', text: 'INSERT INTO t (v) VALUES ($1) RETURNING id', values: [v] }, pool, (r) => r.rows[0].id as number);
    const sleep = (ms: number) => new AsyncStep({ name: '', text: `SELECT pg_sleep(${ms / 1000})`, values: [] }, pool, () => undefined);
    const writes = new PostgresGroupCommit(pool, batchesInFlight === undefined ? {} : { batchesInFlight });
    /** The order in which callers heard that their write committed (or failed). */
    const settled: string[] = [];
    const write = (v: string, lock: string | undefined, options: { sleepMs?: number; fail?: boolean } = {}) =>
      writes
        .run(
          function* () {
            yield* insert(v);
            if (options.sleepMs) yield* sleep(options.sleepMs);
            if (options.fail) yield* insert(v); // violates UNIQUE
          },
          { lock },
        )
        .then(
          () => void settled.push(v),
          (error: unknown) => {
            settled.push(`${v} failed`);
            throw error;
          },
        );
    const inFlight = () => new Promise((resolve) => setImmediate(resolve));
    const values = async () => (await pool.query<{ v: string }>('SELECT v FROM t ORDER BY v')).rows.map((r) => r.v);
    return { writes, write, settled, inFlight, insert, values };
  }

  afterEach(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('commits a second batch while the first is still committing', async () => {
    const { writes, write, settled, inFlight } = await open();
    const slow = write('slow', 'c1', { sleepMs: 400 });
    await inFlight();
    const started = performance.now();
    await write('quick', 'c2');
    expect(performance.now() - started).toBeLessThan(300);
    expect(settled).toEqual(['quick']);
    await slow;
    expect(settled).toEqual(['quick', 'slow']);
    expect(writes.commits).toBe(2);
  });

  it('keeps one batch at a time with batchesInFlight 1', async () => {
    const { write, settled, inFlight } = await open(1);
    const slow = write('slow', 'c1', { sleepMs: 200 });
    await inFlight();
    await Promise.all([slow, write('quick', 'c2')]);
    expect(settled).toEqual(['slow', 'quick']);
  });

  it("holds a conversation's next write until its batch in flight commits, while other conversations go ahead", async () => {
    const { write, settled, inFlight } = await open();
    const first = write('c1 first', 'c1', { sleepMs: 300 });
    await inFlight();
    const second = write('c1 second', 'c1');
    const other = write('c2', 'c2');
    await Promise.all([first, second, other]);
    expect(settled).toEqual(['c2', 'c1 first', 'c1 second']);
    const rows = (await pool.query<{ v: string }>('SELECT v FROM t ORDER BY id')).rows.map((r) => r.v);
    // c1's second write ran after its first committed: a later id.
    expect(rows.indexOf('c1 second')).toBeGreaterThan(rows.indexOf('c1 first'));
  });

  it('rejects only the failing write of a batch that commits beside another', async () => {
    const { write, settled, inFlight } = await open();
    const slow = write('slow', 'c1', { sleepMs: 300 });
    await inFlight();
    const outcomes = await Promise.allSettled([write('a', 'c2'), write('b', 'c3', { fail: true }), write('c', 'c2')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(settled).toEqual(['a', 'b failed', 'c']);
    await slow;
    expect(settled.at(-1)).toBe('slow');
    const rows = (await pool.query<{ v: string }>('SELECT v FROM t ORDER BY v')).rows.map((r) => r.v);
    expect(rows).toEqual(['a', 'c', 'slow']);
  });

  it('runs a write that names no conversation alone, after the batches in flight, and what follows it after it', async () => {
    const { write, settled, inFlight } = await open();
    const slow = write('slow', 'c1', { sleepMs: 300 });
    await inFlight();
    const unnamed = write('unnamed', undefined, { sleepMs: 100 });
    const after = write('after', 'c2');
    await Promise.all([slow, unnamed, after]);
    expect(settled).toEqual(['slow', 'unnamed', 'after']);
  });

  it("runs the writes of different conversations side by side in a batch, and one conversation's writes in turn", async () => {
    const { writes, insert } = await open();
    const twice = (v: string, lock: string) =>
      writes.run(
        function* () {
          yield* insert(`${v}1`);
          yield* insert(`${v}2`);
        },
        { lock },
      );
    await Promise.all([twice('a', 'c1'), twice('b', 'c2'), twice('a-again', 'c1')]);
    const rows = (await pool.query<{ v: string }>('SELECT v FROM t ORDER BY id')).rows.map((r) => r.v);
    // b's first statement left before a's answer came back; a's second write waited for its first.
    expect(rows).toEqual(['a1', 'b1', 'a2', 'b2', 'a-again1', 'a-again2']);
    expect(writes.commits).toBe(1);
  });

  it('tells no write of the batch but the failing one of the failure, and runs the others again', async () => {
    const { writes, insert, values } = await open();
    await writes.run(() => insert('taken'));
    const heard: string[] = [];
    const runs: string[] = [];
    const write = (v: string, lock: string, duplicate = false) =>
      writes.run(
        function* () {
          runs.push(v);
          try {
            yield* insert(v);
            yield* insert(duplicate ? 'taken' : `${v} again`);
          } catch (error) {
            heard.push(v);
            throw error;
          }
        },
        { lock },
      );
    const outcomes = await Promise.allSettled([write('a', 'c1'), write('b', 'c2', true), write('c', 'c3')]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(heard).toEqual(['b']);
    // a and c ran again in savepoints; b did not.
    expect(runs.filter((v) => v !== 'b')).toEqual(['a', 'c', 'a', 'c']);
    expect(await values()).toEqual(['a', 'a again', 'c', 'c again', 'taken']);
  });

  it('close waits for every batch in flight', async () => {
    const { writes, write, settled, inFlight } = await open();
    const writesDone = [write('one', 'c1', { sleepMs: 100 })];
    await inFlight();
    writesDone.push(write('two', 'c2', { sleepMs: 300 }));
    await inFlight();
    await writes.close();
    expect([...settled].sort()).toEqual(['one', 'two']);
    await Promise.all(writesDone);
  });
});
