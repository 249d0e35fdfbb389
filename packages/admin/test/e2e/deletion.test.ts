// @vitest-environment node
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SearchResponse } from '@parley/protocol';
import { OWNER, TestServer, until } from '../server.js';
import { RawVisitor } from '../visitor.js';
import { findChromium, launch } from './chromium.js';
import { widgetVisitor } from './visitor-page.js';

const CHROMIUM = findChromium();
const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const EVE = { email: 'eve@parley.test', password: 'eve-password-1' };

/*
 * Deleting a conversation in Chromium against the real server: the owner deletes what a widget
 * visitor said, while Eve, an agent, has it open in another browser. Screenshots of the details
 * with the button and of both dashboards after, laptop and phone, go to artifacts/ (look at them).
 * The confirmation is the browser's own dialog, which screenshots do not show: its text is checked.
 * Skipped without Chromium, like dashboard.test.ts.
 */
describe.skipIf(!CHROMIUM)('deleting a conversation in Chromium', () => {
  const server = new TestServer();
  let browser: Browser;
  let token: string;
  const problems: string[] = [];
  const questions: string[] = [];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await server.start();
    browser = await launch(CHROMIUM!);
    token = await server.token();
    await api('POST', '/api/users', { ...EVE, name: 'Eve', role: 'agent' });
  });

  afterAll(async () => {
    await browser?.close();
    await server.dispose();
  });

  async function api(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  }

  /** Records page errors and console errors (a refused load is expected once its conversation is gone); the test fails on any. */
  function watch(page: Page, who: string): Page {
    page.on('pageerror', (error) => problems.push(`${who}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/Failed to load resource|WebSocket connection/.test(message.text())) problems.push(`${who}: ${message.text()}`);
    });
    // Every confirmation is accepted, and what it asked is kept.
    page.on('dialog', (dialog) => {
      questions.push(dialog.message());
      void dialog.accept();
    });
    return page;
  }

  async function signIn(context: BrowserContext, who: { email: string; password: string }, path: string): Promise<Page> {
    context.setDefaultTimeout(8000);
    const page = watch(await context.newPage(), who.email);
    await page.goto(`${server.url}${path}`);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('parley-nav-bar [part="connection"].open').waitFor();
    return page;
  }

  /** The conversation a message was said in, found with the dashboard's own search. */
  async function conversationOf(words: string): Promise<string> {
    const found = await until(async () => ((await (await api('GET', `/api/search?q=${encodeURIComponent(words)}`)).json()) as SearchResponse).results[0], `"${words}" indexed`);
    return found.conversation_id;
  }

  it('the owner deletes a widget visitor’s conversation; it vanishes for Eve too, with a notice where it was open', async () => {
    const visitorContext = await browser.newContext({ viewport: { width: 1100, height: 800 } });
    visitorContext.setDefaultTimeout(8000);
    const visitor = await widgetVisitor(watch(await visitorContext.newPage(), 'visitor'), server.url);
    await visitor.say('I would like to talk to a human please');
    await visitor.say('Please delete everything you know about me');
    const id = await conversationOf('delete everything');

    const ownerContext = await browser.newContext({ viewport: LAPTOP });
    const eveContext = await browser.newContext({ viewport: LAPTOP });
    const owner = await signIn(ownerContext, OWNER, '/admin');
    const eve = await signIn(eveContext, EVE, `/admin/inbox/${id}`);
    const eveView = eve.locator('parley-conversation-view');
    await eveView.getByText('delete everything you know about me').waitFor();
    expect(await eveView.locator('[data-action="delete"]').count()).toBe(0);

    await owner.locator(`parley-chat-list [data-id="${id}"]`).click();
    const view = owner.locator('parley-conversation-view');
    await view.getByText('delete everything you know about me').waitFor();
    const button = view.locator('[part="details"] [data-action="delete"]');
    await button.scrollIntoViewIfNeeded();
    await button.hover();
    await owner.screenshot({ path: `${ARTIFACTS}laptop-delete-conversation.png` });

    await button.click();
    await owner.waitForURL(`${server.url}/admin/inbox`);
    expect(questions.at(-1)).toMatch(/for good.*messages.*files.*leads/s);
    await owner.locator('[part~="placeholder"]').waitFor();
    expect(await owner.locator(`parley-chat-list [data-id="${id}"]`).count()).toBe(0);
    await owner.screenshot({ path: `${ARTIFACTS}laptop-deleted-inbox.png` });

    // Eve had it open: the frame closes it with a notice and takes it off her list.
    await eveView.getByText('This conversation was deleted.').waitFor();
    expect(await eve.locator(`parley-chat-list [data-id="${id}"]`).count()).toBe(0);
    await eve.screenshot({ path: `${ARTIFACTS}laptop-deleted-notice.png` });

    // It is really gone on the server, words and all; the visitor's widget started afresh.
    expect((await api('GET', `/api/chats/${id}`)).status).toBe(404);
    expect(((await (await api('GET', '/api/search?q=everything')).json()) as SearchResponse).results).toEqual([]);
    await visitor.screenshot?.(`${ARTIFACTS}visitor-after-deletion.png`);

    await Promise.all([visitorContext.close(), ownerContext.close(), eveContext.close()]);
    expect(problems).toEqual([]);
  }, 120_000);

  it('on phones: the delete button is at the end of the details drawer, and the notice fits', async () => {
    const visitor = await RawVisitor.connect(server.wsUrl);
    visitor.askForPerson();
    await visitor.next((f) => f.type === 'state' && f.status === 'waiting');
    const phone = { viewport: PHONE, isMobile: true, hasTouch: true };
    const ownerContext = await browser.newContext(phone);
    const eveContext = await browser.newContext(phone);
    const owner = await signIn(ownerContext, OWNER, `/admin/inbox/${visitor.conversationId}`);
    const eve = await signIn(eveContext, EVE, `/admin/inbox/${visitor.conversationId}`);
    await eve.locator('parley-conversation-view [part="handoff"]').waitFor();

    const view = owner.locator('parley-conversation-view');
    await view.locator('[part="handoff"]').waitFor();
    await view.locator('[data-action="details"]').click();
    const button = view.locator('[part="details"] [data-action="delete"]');
    await button.scrollIntoViewIfNeeded();
    await owner.screenshot({ path: `${ARTIFACTS}phone-delete-conversation.png` });

    await button.click();
    await owner.waitForURL(`${server.url}/admin/inbox`);
    await owner.locator('parley-chat-list').waitFor({ state: 'visible' });
    expect(await owner.locator(`parley-chat-list [data-id="${visitor.conversationId}"]`).count()).toBe(0);
    await owner.screenshot({ path: `${ARTIFACTS}phone-deleted-inbox.png` });

    await eve.locator('parley-conversation-view').getByText('This conversation was deleted.').waitFor();
    expect(await eve.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await eve.screenshot({ path: `${ARTIFACTS}phone-deleted-notice.png` });
    await eve.locator('parley-conversation-view').getByRole('button', { name: 'Back to the inbox' }).click();
    await eve.locator('parley-chat-list').waitFor({ state: 'visible' });

    await Promise.all([ownerContext.close(), eveContext.close()]);
    visitor.close();
    expect(problems).toEqual([]);
  }, 120_000);
});
