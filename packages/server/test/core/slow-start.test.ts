import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server.js';
import { MIGRATION_LOCK_KEY } from '../../src/db/postgres.js';
import { createTestDatabase, requirePostgres } from '../db/postgres-helper.js';

const hasPostgres = await requirePostgres();

/** Longer than Fastify's default time for a plugin to start (10 s). */
const LONG_MIGRATION_MS = 11_000;

describe.skipIf(!hasPostgres)('a node whose start waits on a long migration', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-slow-start-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  // Another node migrating a big database holds the migration lock for as long as that takes: the
  // node waiting for it must start afterwards, not give up at a plugin timeout.
  it('starts once the other node is done, however long that took', { timeout: 60_000 }, async () => {
    const database = await createTestDatabase('slow_start');
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const started = Date.now();
      const starting = buildServer({ dataDir, databaseUrl: database.url, logLevel: 'silent' });
      const outcome = starting.then(
        () => 'started',
        (error: unknown) => error,
      );
      await new Promise((resolve) => setTimeout(resolve, LONG_MIGRATION_MS));
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);

      expect(await outcome).toBe('started');
      expect(Date.now() - started).toBeGreaterThanOrEqual(LONG_MIGRATION_MS);
      const app = await starting;
      const health = await app.inject({ method: 'GET', url: '/readyz' });
      expect(health.statusCode).toBe(200);
      await app.close();
    } finally {
      await holder.end();
      await database.drop();
    }
  });
});
