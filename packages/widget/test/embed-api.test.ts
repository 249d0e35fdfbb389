// @vitest-environment node
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import WebSocket from 'ws';
import { chromiumPath, launchChromium, startHostSite } from './browser.js';
import { TestServer } from './server.js';

const CHROMIUM = chromiumPath();
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

/** What the page sees of `window.Parley` (the script-tag API). */
interface ParleyApi {
  (method: string, ...args: unknown[]): unknown;
  [method: string]: (...args: never[]) => unknown;
}
type Win = Window & { Parley: ParleyApi; __events: Array<[string, unknown]> };

/**
 * Queued before widget.js loads, as a site does with the snippet: page context, a prefilled
 * question, and listeners that record every event the embed API announces.
 */
const QUEUE_BEFORE_LOAD = `
  window.__events = [];
  window.Parley = function () { (Parley.q = Parley.q || []).push(arguments); };
  Parley('setAttributes', { plan: 'pro', cart_total: 42 });
  Parley('prefill', 'Where is my order #1042?');
  for (const name of ['ready', 'open', 'close', 'availability', 'unread']) Parley('on', name, (detail) => window.__events.push([name, detail === undefined ? null : detail]));
`;

const skip = !CHROMIUM;
if (skip) console.warn('\n*** SKIPPING the embed API browser test: no Chromium at $CHROMIUM_PATH or /usr/bin/chromium ***\n');

describe.skipIf(skip)('the embed API (window.Parley) on a page of another origin', () => {
  const parley = new TestServer('localhost');
  let site: Awaited<ReturnType<typeof startHostSite>>;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await parley.start();
    site = await startHostSite(() => `${parley.url}/widget.js`);
    browser = await launchChromium(CHROMIUM!);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await parley.dispose();
  });

  const chat = (page: Page) => page.locator('parley-chat');
  const api = <T>(page: Page, method: string, ...args: unknown[]) =>
    page.evaluate(([m, a]) => (window as unknown as Win).Parley[m as string]!(...(a as never[])) as T, [method, args] as const);
  const events = (page: Page, name: string) =>
    page.evaluate((n) => (window as unknown as Win).__events.filter(([e]) => e === n).map(([, d]) => d), name);

  /** An agent of the default company signs in and opens the dashboard's socket. */
  async function connectAgent(): Promise<WebSocket> {
    const app = parley.app!;
    const email = `dana.${Date.now()}@agents.test`;
    await app.users.create(app.companies.defaultCompany().id, { email, name: 'Dana', password: 'dana-password-1', role: 'agent' });
    const login = await fetch(`${parley.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'dana-password-1' }) });
    const { token } = (await login.json()) as { token: string };
    const socket = new WebSocket(`${parley.wsUrl}/ws/agent?token=${encodeURIComponent(token)}`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return socket;
  }

  it('opens from the site\'s own button with no launcher, carries page attributes, prefill, locale, availability and state, and shuts down', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addInitScript(QUEUE_BEFORE_LOAD);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const sockets: string[] = [];
    page.on('websocket', (ws) => sockets.push(ws.url()));
    await page.goto(`${site.url}?attrs=${encodeURIComponent('data-launcher="none"')}`);

    // Ready, with no bubble at any time, nothing open, nothing connected.
    await expect.poll(() => events(page, 'ready')).toEqual([null]);
    expect(await page.getByRole('button', { name: 'Open chat' }).count()).toBe(0);
    expect(await chat(page).getAttribute('launcher')).toBe('none');
    expect(await api(page, 'isOpen')).toBe(false);
    expect(await api(page, 'unreadCount')).toBe(0);
    expect(sockets).toEqual([]);
    // A listener added after the fact still hears `ready`.
    await page.evaluate(() => (window as unknown as Win).Parley.on!('ready' as never, (() => ((window as unknown as { late: boolean }).late = true)) as never));
    expect(await page.evaluate(() => (window as unknown as { late?: boolean }).late)).toBe(true);

    // The site's own button opens it; the question is waiting in the composer.
    await api(page, 'open');
    await chat(page).getByText('Are you an existing customer?').waitFor();
    expect(await api(page, 'isOpen')).toBe(true);
    expect(await chat(page).locator('parley-composer input').inputValue()).toBe('Where is my order #1042?');
    expect(await events(page, 'open')).toHaveLength(1);

    // The attributes reached the conversation on the server.
    const session = await page.evaluate(() => JSON.parse(Object.entries(localStorage).find(([k]) => k.startsWith('parley:'))![1]).session as string);
    const conversation = await parley.app!.chat.resolveSession(session);
    await expect.poll(async () => (await parley.app!.conversations.get(conversation.id))?.attributes).toEqual({ plan: 'pro', cart_total: 42 });
    await api(page, 'setAttributes', { cart_total: 55, coupon: 'SPRING' });
    await expect.poll(async () => (await parley.app!.conversations.get(conversation.id))?.attributes).toEqual({ plan: 'pro', cart_total: 55, coupon: 'SPRING' });
    const refused = await page.evaluate(() => {
      try {
        (window as unknown as Win).Parley.setAttributes!({ 'bad key': 1 } as never);
        return 'accepted';
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(refused).toBe('TypeError');

    // Availability: nobody yet, then an agent signs in, then leaves.
    await expect.poll(() => chat(page).getAttribute('availability')).toBe('offline');
    const agent = await connectAgent();
    await expect.poll(() => chat(page).getAttribute('availability')).toBe('online');
    agent.close();
    await expect.poll(() => chat(page).getAttribute('availability')).toBe('offline');
    expect(await events(page, 'availability')).toEqual(['offline', 'online', 'offline']);

    // The language changes at run time.
    await api(page, 'setLocale', 'ar');
    await expect.poll(() => chat(page).evaluate((el: HTMLElement) => [el.lang, getComputedStyle(el).direction])).toEqual(['ar', 'rtl']);
    await api(page, 'setLocale', 'en');
    await page.screenshot({ path: `${ARTIFACTS}embed-no-launcher.png` });

    // Closed, a reply to what the page sent counts as unread.
    await api(page, 'close');
    expect(await api(page, 'isOpen')).toBe(false);
    await api(page, 'sendMessage', 'No');
    await expect.poll(() => api<number>(page, 'unreadCount')).toBeGreaterThan(0);
    expect((await events(page, 'unread')).at(-1)).toBe(await api(page, 'unreadCount'));

    // The launcher comes and goes on demand.
    await api(page, 'showLauncher');
    await page.getByRole('button', { name: /Open chat/ }).waitFor();
    await api(page, 'hideLauncher');
    await expect.poll(() => page.getByRole('button', { name: /Open chat/ }).count()).toBe(0);

    // Shut down: the element, its socket and the listeners go; later calls do nothing.
    await api(page, 'shutdown');
    expect(await page.locator('parley-chat').count()).toBe(0);
    expect(await api(page, 'isOpen')).toBe(false);
    expect(await api(page, 'unreadCount')).toBe(0);
    await api(page, 'open');
    await page.waitForTimeout(300);
    expect(await page.locator('parley-chat').count()).toBe(0);
    expect(await events(page, 'open')).toHaveLength(1);
    await expect.poll(() => parley.app!.presence.isVisitorOnline(conversation.id)).toBe(false);
    await context.close();
    expect(errors).toEqual([]);
  });

  it('hides and shows the early bubble drawn before the bundle loads, which then opens the chat', async () => {
    const context = await browser.newContext({ viewport: { width: 1024, height: 760 } });
    const page = await context.newPage();
    // Hold the bundle back, as on a slow network, so the early bubble is all there is.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/widget\/parley-[^/]+\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    const bubble = page.getByRole('button', { name: 'Open chat' });
    // data-launcher="none": no early bubble either, until the page asks for one.
    await page.goto(`${site.url}?attrs=${encodeURIComponent('data-launcher="none"')}`);
    await page.waitForFunction(() => typeof (window as unknown as Win).Parley.showLauncher === 'function');
    await page.waitForTimeout(300);
    expect(await bubble.count()).toBe(0);
    await api(page, 'showLauncher');
    await bubble.waitFor();
    expect(await page.locator('parley-chat').count()).toBe(0);

    await page.goto(site.url);
    await bubble.waitFor();
    expect(await page.locator('parley-chat').count()).toBe(0);
    await api(page, 'hideLauncher');
    expect(await bubble.count()).toBe(0);
    await api(page, 'showLauncher');
    await bubble.waitFor();
    release();
    await bubble.click();
    await chat(page).getByText('Are you an existing customer?').waitFor();
    expect(await api(page, 'isOpen')).toBe(true);
    await context.close();
  });
});
