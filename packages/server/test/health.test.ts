import { statSync } from 'node:fs';
import { join } from 'node:path';
import { serverVersion } from '../src/core/version.js';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestServer, rawSql, startTestServer, tempDataDir } from './helper.js';

/** Makes the app's database stop answering: SQLite is closed; on PostgreSQL every query fails from now on. */
function stopDatabase(app: FastifyInstance): void {
  if (app.database.dialect === 'sqlite') return void app.sqlite.close();
  app.database.pool.query = (() => Promise.reject(new Error('the database went away'))) as never;
}

describe('GET /health', () => {
  it('answers ok once the database answers', async () => {
    const app = await buildTestServer();
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', version: serverVersion() });
  });

  it('answers 503 when the database cannot answer', async () => {
    const app = await buildTestServer();
    stopDatabase(app);
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: 'unavailable', message: 'Database unavailable' });
  });

  it('keeps the database readable by its owner only', async () => {
    const dataDir = tempDataDir();
    await buildTestServer({ dataDir });
    for (const name of ['parley.sqlite', 'parley.sqlite-wal', 'secret']) {
      const mode = statSync(join(dataDir, name), { throwIfNoEntry: false })?.mode;
      if (name !== 'parley.sqlite-wal') expect(mode, name).toBeDefined();
      if (mode !== undefined) expect((mode & 0o077).toString(8), name).toBe('0');
    }
  });
});

describe('GET /livez and /readyz', () => {
  it('reports the version on /health, live and ready over real HTTP', async () => {
    const { app, http } = await startTestServer();
    const health = await fetch(`${http}/health`);
    expect(await health.json()).toEqual({ status: 'ok', version: serverVersion() });
    expect(serverVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(await (await fetch(`${http}/livez`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${http}/readyz`);
    expect(ready.status).toBe(200);
    // With Redis (a node of a multi-node deployment), readiness also follows its subscription.
    const redis = app.config.redisUrl ? { redis: true } : {};
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: true, migrations: true, shutting_down: false, ...redis } });
  });

  it('is not ready while shutting down, yet still live', async () => {
    const { app, http } = await startTestServer();
    app.readiness.drain();
    const ready = await fetch(`${http}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'not_ready', checks: { shutting_down: true, database: true } });
    expect((await fetch(`${http}/livez`)).status).toBe(200);
  });

  it('is not ready when a migration is missing or the database does not answer', async () => {
    const app = await buildTestServer();
    await rawSql(app, 'DELETE FROM kysely_migration WHERE name = (SELECT max(name) FROM kysely_migration)');
    let res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ checks: { database: true, migrations: false } });
    stopDatabase(app);
    res = await app.inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ checks: { database: false, migrations: false } });
  });
});
