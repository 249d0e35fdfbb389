import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { buildTestServer, tempDataDir } from '../helper.js';
import errorHandler from '../../src/core/error-handler.js';
import adminRoutes from '../../src/agents/dashboard.routes.js';

const dist = join(dirname(createRequire(import.meta.url).resolve('@parley/admin/package.json')), 'dist');
const built = existsSync(join(dist, 'index.html'));

describe.skipIf(!built)('the dashboard at /admin', () => {
  it('answers every /admin path with the app page under a strict policy, never cached', async () => {
    const app = await buildTestServer();
    for (const url of ['/admin', '/admin/', '/admin/inbox/c_123', '/admin/settings']) {
      const response = await app.inject({ url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("img-src 'self' data: https:");
      expect(csp).not.toContain('unsafe-inline');
      expect(response.body).toContain('<parley-admin-app>');
      expect(response.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    }
  });

  it('serves hashed assets with their type and a year of caching, and 404s a missing one', async () => {
    const app = await buildTestServer();
    const script = readdirSync(join(dist, 'assets')).find((f) => f.endsWith('.js'))!;
    const response = await app.inject({ url: `/admin/assets/${script}` });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const again = await app.inject({ url: `/admin/assets/${script}`, headers: { 'if-none-match': String(response.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect((await app.inject({ url: '/admin/assets/nope-123.js' })).statusCode).toBe(404);
  });

  it('never serves files outside the build', async () => {
    const app = await buildTestServer();
    for (const url of ['/admin/../package.json', '/admin/%2e%2e/package.json', '/admin/..%2f..%2fpackage.json']) {
      const response = await app.inject({ url });
      expect(response.body, url).not.toContain('"name": "@parley/admin"');
    }
  });
});

describe('the dashboard without a build', () => {
  it('answers 404 saying to run pnpm build', async () => {
    const app = Fastify();
    await app.register(errorHandler);
    await app.register(adminRoutes, { dir: tempDataDir() });
    for (const url of ['/admin', '/admin/inbox']) {
      const response = await app.inject({ url });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'not_found', message: expect.stringContaining('pnpm build') });
    }
    await app.close();
  });
});
