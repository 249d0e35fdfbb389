import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTestServer, tempDataDir } from './helper.js';

describe('GET /health', () => {
  it('answers ok once the database answers', async () => {
    const app = await buildTestServer();
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers 503 when the database cannot answer', async () => {
    const app = await buildTestServer();
    app.sqlite.close();
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
