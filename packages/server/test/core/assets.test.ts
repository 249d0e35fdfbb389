import { request } from 'node:http';
import { readFileSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { chooseEncoding, compressedDir, precompressDir } from '../../src/core/assets/index.js';
import { demoPage } from '../../src/visitors/demo-page.js';
import adminRoutes from '../../src/agents/dashboard.routes.js';
import errorHandler from '../../src/core/error-handler.js';
import { onCleanup, startTestServer, tempDataDir } from '../helper.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A plain HTTP GET that keeps the body as sent (fetch would decode it). */
function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

function decode(answer: Answer): Buffer {
  const encoding = answer.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(answer.body);
  if (encoding === 'gzip') return gunzipSync(answer.body);
  return answer.body;
}

const require = createRequire(import.meta.url);
const widgetCdn = join(dirname(require.resolve('@parley/widget/package.json')), 'dist', 'cdn');
const adminDist = join(dirname(require.resolve('@parley/admin/package.json')), 'dist');

/** Fetches a URL raw, as brotli and as gzip; checks each decodes to `raw` and answers 304 on its ETag. */
async function checkEncodings(url: string, raw: Buffer) {
  const plain = await get(url);
  const br = await get(url, { 'accept-encoding': 'gzip, deflate, br' });
  const gz = await get(url, { 'accept-encoding': 'gzip' });
  expect(plain.status).toBe(200);
  expect(plain.headers['content-encoding']).toBeUndefined();
  expect(br.headers['content-encoding']).toBe('br');
  expect(gz.headers['content-encoding']).toBe('gzip');
  for (const answer of [plain, br, gz]) {
    expect(decode(answer).equals(raw)).toBe(true);
    expect(String(answer.headers.vary).toLowerCase()).toContain('accept-encoding');
    expect(Number(answer.headers['content-length'])).toBe(answer.body.length);
    expect(answer.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/); // strong: no W/
  }
  expect(br.body.length).toBeLessThan(gz.body.length);
  expect(gz.body.length).toBeLessThan(raw.length / 1.5);
  expect(new Set([plain.headers.etag, br.headers.etag, gz.headers.etag]).size).toBe(3);
  const again = await get(url, { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
  expect(again.status).toBe(304);
  expect(again.body.length).toBe(0);
  expect(again.headers.etag).toBe(br.headers.etag);
  // Another representation's tag does not match this one.
  expect((await get(url, { 'accept-encoding': 'br', 'if-none-match': String(gz.headers.etag) })).status).toBe(200);
  return { plain, br, gz };
}

describe('static assets go out compressed', () => {
  // What `pnpm build` does after the packages are built; another package's tests may have rebuilt
  // one since (its copies are then stale and rightly not served), so bring them up to date first.
  beforeAll(() => {
    precompressDir(widgetCdn, compressedDir('widget'));
    precompressDir(adminDist, compressedDir('admin'));
  });

  it('serves the widget launcher and bundle as brotli or gzip, each decoding to the built file', async () => {
    const { http } = await startTestServer();
    const launcher = await checkEncodings(`${http}/widget.js`, readFileSync(join(widgetCdn, 'widget.js')));
    expect(launcher.br.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=86400');
    expect(launcher.br.headers['access-control-allow-origin']).toBe('*');
    const bundleName = /widget\/([\w.-]+\.js)/.exec(readFileSync(join(widgetCdn, 'widget.js'), 'utf8'))?.[1];
    expect(bundleName).toBeDefined();
    const bundle = await checkEncodings(`${http}/widget/${bundleName}`, readFileSync(join(widgetCdn, 'widget', bundleName!)));
    expect(bundle.gz.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('serves the dashboard and the demo page compressed too', async () => {
    const { http } = await startTestServer();
    const index = readFileSync(join(adminDist, 'index.html'));
    const page = await checkEncodings(`${http}/admin`, index);
    expect(page.br.headers['cache-control']).toBe('no-cache');
    expect(page.br.headers['content-security-policy']).toContain("script-src 'self'");
    const script = /src="\/admin\/(assets\/[\w.-]+\.js)"/.exec(index.toString())?.[1];
    expect(script).toBeDefined();
    const asset = await checkEncodings(`${http}/admin/${script}`, readFileSync(join(adminDist, script!)));
    expect(asset.br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const demo = await checkEncodings(`${http}/`, Buffer.from(demoPage()));
    expect(demo.br.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('never answers a rebuilt file with a compressed copy left by the older build', async () => {
    const dir = tempDataDir();
    const compressed = tempDataDir();
    mkdirSync(join(dir, 'assets'));
    const file = join(dir, 'assets', 'app.js');
    writeFileSync(file, `console.log(${JSON.stringify('first build '.repeat(100))});`);
    precompressDir(dir, compressed);
    const app = Fastify();
    await app.register(errorHandler);
    await app.register(adminRoutes, { dir, compressedDir: compressed });
    await app.listen({ host: '127.0.0.1', port: 0 });
    onCleanup(() => app.close());
    const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/admin/assets/app.js`;
    expect((await get(url, { 'accept-encoding': 'br' })).headers['content-encoding']).toBe('br');

    const second = `console.log(${JSON.stringify('second build '.repeat(100))});`;
    writeFileSync(file, second);
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    const stale = await get(url, { 'accept-encoding': 'br, gzip' });
    expect(stale.headers['content-encoding']).toBeUndefined();
    expect(stale.body.toString()).toBe(second);
    precompressDir(dir, compressed);
    const fresh = await get(url, { 'accept-encoding': 'br, gzip' });
    expect(fresh.headers['content-encoding']).toBe('br');
    expect(decode(fresh).toString()).toBe(second);
  });

  it('negotiates with q-values', () => {
    const both = ['br', 'gzip'] as const;
    expect(chooseEncoding('gzip, deflate, br', both)).toBe('br');
    expect(chooseEncoding('gzip, br;q=0.5', both)).toBe('gzip');
    expect(chooseEncoding('br;q=0, gzip;q=0', both)).toBeUndefined();
    expect(chooseEncoding('*', both)).toBe('br');
    expect(chooseEncoding('identity', both)).toBeUndefined();
    expect(chooseEncoding(undefined, both)).toBeUndefined();
    expect(chooseEncoding('br', ['gzip'])).toBeUndefined();
  });
});
