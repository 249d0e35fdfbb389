import { describe, expect, it } from 'vitest';
import { buildTestServer } from './helper.js';

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
});
