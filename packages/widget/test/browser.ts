import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, or the one named by `CHROMIUM_PATH`; undefined when neither exists. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p));
}

/** Launches headless Chromium with flags that keep it quiet and offline except for loopback. */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A site that embeds the widget, served on its own origin (another port on 127.0.0.1), so every
 * request the widget makes to the Parley server is cross-origin, as on a real customer's site.
 * `GET /?attrs=...` puts extra attributes on the script tag.
 */
export async function startHostSite(widgetUrl: () => string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    if (url.pathname !== '/') {
      response.writeHead(404).end();
      return;
    }
    const attrs = url.searchParams.get('attrs') ?? '';
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Acme outdoor gear</title>
<style>body{font:16px/1.5 Georgia,serif;margin:0;background:#faf7f2;color:#222}main{max-width:40rem;margin:0 auto;padding:3rem 1.5rem}</style>
</head><body><main><h1>Acme outdoor gear</h1><p>Tents, lamps and mugs for the trail. Questions? Our assistant is in the corner.</p></main>
<script>window.Parley=window.Parley||function(){(Parley.q=Parley.q||[]).push(arguments)};Parley('on','open',function(){window.__opened=(window.__opened||0)+1});</script>
<script src="${widgetUrl()}" ${attrs} async></script>
</body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
