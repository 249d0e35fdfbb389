// @vitest-environment node
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestServer } from './server.js';

const server = new TestServer();
/** The bundle the launcher loads (feature chunks such as `article-<hash>.js` sit beside it). */
const bundle = readdirSync(fileURLToPath(new URL('../dist/cdn/widget/', import.meta.url))).find((f) => /^parley-.*\.js$/.test(f))!;

beforeAll(() => server.start());
afterAll(() => server.dispose());

describe('the server serves the widget', () => {
  it('at /widget.js, readable from any origin, revalidated every few minutes', async () => {
    const response = await fetch(`${server.url}/widget.js`, { headers: { origin: 'https://shop.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toMatch(/max-age=300/);
    expect(await response.text()).toContain(`widget/${bundle}`);
    const again = await fetch(`${server.url}/widget.js`, { headers: { 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('with its hashed bundle cached for a year, and nothing else from the folder', async () => {
    const response = await fetch(`${server.url}/widget/${bundle}`, { headers: { origin: 'https://shop.example' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await fetch(`${server.url}/widget/..%2Fwidget.js`)).status).toBe(400);
    expect((await fetch(`${server.url}/widget/missing-123.js`)).status).toBe(404);
  });

  it('and a demo page at / that embeds it', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await response.text()).toContain('<script src="/widget.js"');
  });
});
