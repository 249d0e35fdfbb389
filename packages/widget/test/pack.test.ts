// @vitest-environment node
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, launchChromium } from './browser.js';
import { TestServer } from './server.js';

/*
 * The published package as a site gets it: `npm pack`, installed from the tarball into a fresh
 * app (with lit from the registry, and only the types React users add), type-checked under strict
 * TypeScript with the package's own declarations checked too (no skipLibCheck), built with Vite,
 * and rendered in Chromium against a Parley server on another origin. Vite and TypeScript are the
 * workspace's, so the install is the package and its dependencies alone.
 */

const CHROMIUM = chromiumPath();
const root = fileURLToPath(new URL('..', import.meta.url));
const ARTIFACTS = `${root}artifacts/`;
const tsc = `${root}node_modules/.bin/tsc`;

const MAIN_TS = `import '@parley/widget';
import { ParleyClient, type ChatMessage, type ConnectionState } from '@parley/widget/client';
import type { ParleyChat } from '@parley/widget';

const server = new URL(location.href).searchParams.get('server')!;
const chat: ParleyChat = document.createElement('parley-chat');
chat.server = server;
chat.heading = 'Acme help';
chat.theme = 'light';
chat.launcher = 'default';
chat.addEventListener('parley-message', (event) => {
  const message: ChatMessage = event.detail;
  document.body.dataset.lastRole = message.role;
});
chat.addEventListener('parley-availability', (event) => {
  const state: 'online' | 'offline' = event.detail;
  document.body.dataset.availability = state;
});
chat.addEventListener('parley-ready', () => (document.body.dataset.ready = 'yes'));
document.body.append(chat);

// The headless client's types, from the same tarball.
const client = new ParleyClient({ server, storage: null });
const state: ConnectionState = client.connection;
client.setAttributes({ plan: 'pro', cart_total: 42 });
console.log('client', state);
`;

/** React users: the wrapper and the tags in React's JSX, type-checked only (React is not run here). */
const REACT_TSX = `import { ParleyChat } from '@parley/widget/react';

export function Support() {
  return (
    <>
      <ParleyChat server="https://chat.example.com" launcher="none" onReady={() => undefined} onUnread={(e) => console.log(e.detail + 1)} />
      <parley-chat server="https://chat.example.com" theme="auto" open />
    </>
  );
}
`;

/** Other JSX runtimes read the global JSX namespace. */
const JSX_TS = `import type { ParleyIntrinsicElements } from '@parley/widget/jsx';
const props: ParleyIntrinsicElements['parley-chat'] = { server: 'https://chat.example.com', mode: 'inline', strings: { send: 'Envoyer' } };
// @ts-expect-error: not a theme
const wrong: ParleyIntrinsicElements['parley-chat'] = { theme: 'purple' };
export { props, wrong };
`;

const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler',
    lib: ['ES2023', 'DOM', 'DOM.Iterable'],
    jsx: 'react-jsx',
    strict: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    noEmit: true,
    types: [],
  },
  include: ['src'],
};

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

function serve(dir: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server })));
}

describe.skipIf(!CHROMIUM)('the packed widget in a fresh Vite app', () => {
  const work = mkdtempSync(join(tmpdir(), 'parley-pack-'));
  const app = join(work, 'app');
  const parley = new TestServer('localhost');
  let site: { url: string; server: Server } | undefined;

  beforeAll(async () => {
    await parley.start();
  });

  afterAll(async () => {
    site?.server.close();
    await parley.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('installs from the tarball without the schema library, type-checks strictly, builds and renders <parley-chat>', { timeout: 240_000 }, async () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' })) as Array<{ filename: string; size: number }>;
    const tarball = join(work, packed!.filename);
    mkdirSync(join(app, 'src'), { recursive: true });
    const lit = (JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { dependencies: Record<string, string> }).dependencies.lit;
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'acme-shop',
        private: true,
        type: 'module',
        dependencies: { '@parley/widget': `file:${tarball}`, lit },
        devDependencies: { '@lit/react': '^1.0.8', '@types/react': '^19.0.0' },
      }),
    );
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG));
    writeFileSync(join(app, 'index.html'), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme</title></head><body><h1>Acme shop</h1><script type="module" src="/src/main.ts"></script></body></html>');
    writeFileSync(join(app, 'src/main.ts'), MAIN_TS);
    writeFileSync(join(app, 'src/support.tsx'), REACT_TSX);
    writeFileSync(join(app, 'src/other-jsx.ts'), JSX_TS);

    const started = Date.now();
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', '--prefer-offline'], { cwd: app, stdio: 'pipe' });
    console.log(`npm install of the packed widget (${(packed!.size / 1024).toFixed(0)} KB tarball): ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(existsSync(join(app, 'node_modules/@parley/widget/custom-elements.json'))).toBe(true);
    expect(existsSync(join(app, 'node_modules/typebox'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/@parley/protocol'))).toBe(false);

    // Strict TypeScript over the app and every declaration it reaches in node_modules.
    execFileSync(tsc, ['-p', join(app, 'tsconfig.json')], { cwd: app, stdio: 'pipe', encoding: 'utf8' });

    await build({ root: app, configFile: false, logLevel: 'silent', build: { outDir: join(app, 'dist'), emptyOutDir: true } });
    site = await serve(join(app, 'dist'));

    const browser = await launchChromium(CHROMIUM!);
    try {
      const page = await browser.newPage({ viewport: { width: 1024, height: 760 } });
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${site.url}?server=${encodeURIComponent(parley.url)}`);
      await expect.poll(() => page.evaluate(() => document.body.dataset.ready)).toBe('yes');
      await page.locator('parley-chat').getByRole('button', { name: 'Open chat' }).click();
      await page.locator('parley-chat').getByText('Are you an existing customer?').waitFor();
      await expect.poll(() => page.evaluate(() => document.body.dataset.availability)).toBe('offline');
      expect(await page.evaluate(() => document.body.dataset.lastRole)).toBe('bot');
      await page.screenshot({ path: `${ARTIFACTS}packed-vite-app.png` });
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
