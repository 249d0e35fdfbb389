// @vitest-environment node
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { OWNER } from '../server.js';
import { ARTIFACTS, CHROMIUM, chromiumHarness, LAPTOP, PHONE } from './harness.js';

/** A customer's site on its own origin (another loopback port) that embeds the widget. */
async function startHostSite(widgetUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme shop</title></head>
<body><h1>Acme shop</h1><script src="${widgetUrl}" async></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A visitor on the host site with the chat open. */
async function visitHost(context: BrowserContext, url: string) {
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole('button', { name: 'Open chat' }).click();
  const chat = page.locator('parley-chat');
  await chat.locator('parley-message').first().waitFor();
  return { page, chat };
}

/*
 * The bot builder in Chromium against the real server: the owner builds a three-step bot from
 * nothing on the canvas (template, add a step, connect, edit texts), sees a problem pinned to its
 * step, fixes it, tries the draft in the embedded widget, publishes; a visitor on a site of another
 * origin gets the new bot while a conversation started before keeps the demo. Screenshots of the
 * canvas, laptop and phone, light and dark, go to artifacts/ (look at them).
 */
describe.skipIf(!CHROMIUM)('the bot builder in Chromium', () => {
  const { problems, browser, api, signIn, server } = chromiumHarness();

  it('builds, checks, tries and publishes a bot; new visitors get it, running conversations keep theirs', async () => {
    const host = await startHostSite(`${server.url}/widget.js`);
    try {
      // A visitor starts with the demo bot before anything changes.
      const earlyContext = await browser().newContext({ viewport: LAPTOP });
      const early = await visitHost(earlyContext, host.url);
      await early.chat.getByText('Parley support bot').first().waitFor();

      const context = await browser().newContext({ viewport: LAPTOP });
      const page: Page = await signIn(context, OWNER, '/admin/bot');
      const builder = page.locator('parley-bot-builder');
      const card = (id: string) => builder.locator(`[part="step"][data-step="${id}"]`);
      const invalid = (id: string) => builder.locator(`[part="step"][data-step="${id}"].invalid`);
      await card('welcome').waitFor();

      // From nothing: a greeting and an end.
      await builder.getByLabel('Start from a template').selectOption('blank');
      await expect.poll(() => builder.locator('[part="step"]').count()).toBe(2);

      // A new step, added with nothing selected, is unreachable: the problem shows on its card.
      await builder.locator('[part="canvas"]').click({ position: { x: 20, y: 300 } });
      await builder.getByLabel('Add a step').selectOption('input');
      await invalid('input').waitFor();
      expect(await card('input').getAttribute('aria-label')).toBe('input step input, 1 problem');

      await page.screenshot({ path: `${ARTIFACTS}debug-1.png` });
      // Connect the greeting to it: every step is reachable again.
      await card('welcome').click();
      await builder.getByRole('button', { name: 'Connect…' }).click();
      await card('input').click();
      await invalid('input').waitFor({ state: 'detached' });
      await builder.locator('.edge[data-from="welcome"][data-to="input"]').waitFor({ state: 'attached' });
      await builder.locator('.edge[data-from="input"][data-to="end"]').waitFor({ state: 'attached' });

      // Texts.
      await builder.locator('#f-text').fill('Hello from <b>Acme</b>!');
      await card('input').click();
      await builder.locator('#f-text').fill('What is your order number?');
      await builder.locator('#f-var').fill('order');
      // A bad regular expression is pinned to the step and its field as it is typed; then fixed.
      await builder.locator('#f-pattern').fill('([0-9]+');
      await invalid('input').waitFor();
      await builder.getByText('not a valid regular expression').waitFor();
      await page.screenshot({ path: `${ARTIFACTS}laptop-bot-builder-problem.png` });
      await builder.locator('#f-pattern').fill('^[0-9]+$');
      await invalid('input').waitFor({ state: 'detached' });
      await card('end').click();
      await builder.locator('#f-text').fill('Thanks, we are looking at order {{order}}.');
      await builder.locator('[data-problems="0"]').waitFor();

      // Try it: the draft runs in a real widget inside the dashboard.
      await builder.getByRole('button', { name: 'Try it', exact: true }).click();
      const tryChat = page.frameLocator('iframe[title="Try it"]').locator('parley-chat');
      await tryChat.getByText('Hello from Acme!').waitFor();
      await tryChat.getByText('What is your order number?').waitFor();
      const tryInput = tryChat.locator('parley-composer input, parley-composer textarea').first();
      await tryInput.fill('4711');
      await tryInput.press('Enter');
      await tryChat.getByText('Thanks, we are looking at order 4711.').waitFor();
      await page.screenshot({ path: `${ARTIFACTS}laptop-bot-builder-try.png` });
      // The test conversation is nowhere in the inbox.
      const chats = (await (await api('GET', '/api/chats')).json()) as { chats: Array<{ last_message: { text: string } | null }> };
      expect(chats.chats.some((c) => c.last_message?.text.includes('4711'))).toBe(false);
      await builder.getByRole('button', { name: 'Close Try it' }).click();

      // Publish.
      await builder.getByRole('button', { name: 'Publish' }).click();
      await builder.getByText('version 2 is live').first().waitFor();

      // A new visitor on the other site gets the new bot...
      const lateContext = await browser().newContext({ viewport: LAPTOP });
      const late = await visitHost(lateContext, host.url);
      await late.chat.getByText('Hello from Acme!').waitFor();
      // ...while the conversation started before goes on with the demo.
      await early.chat.getByRole('button', { name: 'No', exact: true }).click();
      await early.chat.getByText("Let's get you set up").waitFor();

      // Screenshots of the canvas: laptop and phone, light and dark.
      await card('input').click();
      await page.screenshot({ path: `${ARTIFACTS}laptop-bot-builder.png` });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: `${ARTIFACTS}laptop-dark-bot-builder.png` });
      const phone = await browser().newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
      const small = await signIn(phone, OWNER, '/admin/bot');
      await small.locator('parley-bot-builder [part="step"][data-step="input"]').waitFor();
      await small.screenshot({ path: `${ARTIFACTS}phone-bot-builder.png` });
      await small.emulateMedia({ colorScheme: 'dark' });
      await small.screenshot({ path: `${ARTIFACTS}phone-dark-bot-builder.png` });
      expect(problems).toEqual([]);
    } finally {
      await host.close();
    }
  });

  it('edits http and branch steps with their forms and connects on_error and a case by pointing', async () => {
    const context = await browser().newContext({ viewport: LAPTOP });
    const page: Page = await signIn(context, OWNER, '/admin/bot');
    const builder = page.locator('parley-bot-builder');
    const card = (id: string) => builder.locator(`[part="step"][data-step="${id}"]`);
    const edge = (from: string, field: string) => builder.locator(`.edge[data-from="${from}"][data-field="${field}"]`);
    await card('welcome').waitFor();
    await builder.getByLabel('Start from a template').selectOption('blank');
    await card('welcome').click();
    await builder.getByLabel('Add a step').selectOption('http');
    await card('http').waitFor();

    // The http form: a bad URL shows the validator's problem under the field, a good one clears it.
    await builder.locator('#f-url').fill('ftp://shop');
    await builder.getByText('the URL must start with http:// or https:// and name a host').waitFor();
    await builder.locator('#f-url').fill('https://shop.example/orders/{{order}}');
    await builder.getByText('the URL must start with http://').waitFor({ state: 'detached' });
    await builder.getByLabel('Method').selectOption('POST');
    await builder.getByRole('button', { name: 'Add header' }).click();
    await builder.getByLabel('Header 1', { exact: true }).fill('Authorization');
    await builder.getByLabel('Header 1', { exact: true }).blur();
    await builder.getByLabel('Value 1', { exact: true }).fill('Bearer secret');
    await builder.getByLabel('Header Authorization is secret').check();

    // Connect… on the on_error exit, then a click on the end card.
    await builder.getByLabel('Exit to connect').selectOption('on_error');
    await builder.getByRole('button', { name: 'Connect…' }).click();
    await card('end').click();
    await edge('http', 'on_error').waitFor({ state: 'attached' });
    expect(await edge('http', 'on_error').getAttribute('data-to')).toBe('end');

    // A branch after it: its case edited in the form, its case target set by pointing.
    await card('http').click();
    await builder.getByLabel('Add a step').selectOption('branch');
    await builder.getByLabel('Case 1 variable').fill('status');
    await builder.getByLabel('Case 1 test').selectOption('in');
    await builder.getByLabel('Case 1 value').fill('shipped, delivered');
    await builder.getByLabel('Exit to connect').selectOption('cases.0.next');
    await builder.getByRole('button', { name: 'Connect…' }).click();
    await card('welcome').click();
    expect(await edge('branch', 'cases.0.next').getAttribute('data-to')).toBe('welcome');
    // welcome -> http -> branch -> welcome never waits for the visitor: the validator says so.
    await expect.poll(() => builder.locator('[data-problems]').getAttribute('data-problems')).toBe('1');
    await builder.getByLabel('Case 1 goes to').selectOption('end');
    await expect.poll(() => builder.locator('[data-problems]').getAttribute('data-problems')).toBe('0');
    await page.screenshot({ path: `${ARTIFACTS}laptop-bot-builder-branch-form.png` });
    await card('http').click();
    await page.screenshot({ path: `${ARTIFACTS}laptop-bot-builder-http-form.png` });
    expect(problems).toEqual([]);
  });
});
