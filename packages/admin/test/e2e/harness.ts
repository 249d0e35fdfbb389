import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { SearchResponse } from '@parley/protocol';
import { TestServer, until } from '../server.js';
import { RawVisitor } from '../visitor.js';
import { findChromium, launch } from './chromium.js';
import { widgetVisitor, type Visitor } from './visitor-page.js';

/** The Chromium the end-to-end tests drive; undefined skips them (see `findChromium`). */
export const CHROMIUM = findChromium();
/** Where screenshots go (`packages/admin/artifacts/`, ignored by git): look at them. */
export const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
export const LAPTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/** Someone who signs in to the dashboard. */
export interface Account {
  email: string;
  password: string;
}

/** Console errors every dashboard page may log: a refused load or a socket that closed. */
const EXPECTED_CONSOLE_ERRORS = /Failed to load resource|WebSocket connection/;

export interface HarnessOptions {
  /** Agents the owner creates before the tests, e.g. `[{ ...EVE, name: 'Eve' }]`. */
  agents?: Array<Account & { name: string }>;
  /** Console errors that are not problems; `null` counts every one. Defaults to refused loads and closed sockets. */
  ignoredConsoleErrors?: RegExp | null;
  /** Also count any console message about the Content Security Policy, whatever its level. */
  csp?: boolean;
  /** More listeners for every watched page, e.g. how to answer `confirm()` dialogs. */
  onPage?: (page: Page) => void;
}

/** What a describe block gets from `chromiumHarness`: a server, a browser and helpers round them. */
export interface Harness {
  server: TestServer;
  /** Everything that went wrong in a watched page; each test ends with `expect(problems).toEqual([])`. */
  problems: string[];
  browser(): Browser;
  /** The owner's API token. */
  token(): string;
  /** A request to the server as the owner. */
  api(method: string, path: string, body?: unknown): Promise<Response>;
  /** Records the page's errors and unexpected console errors in `problems`, tagged with `who`. */
  watch(page: Page, who: string): Page;
  /** A watched page in `context` (8 s default timeout), signed in as `who` at `path`, its agent socket open. */
  signIn(context: BrowserContext, who: Account, path: string): Promise<Page>;
  /** A visitor on the widget page in `context`, or over a raw WebSocket when `/widget.js` is not built. */
  openVisitor(context: BrowserContext): Promise<Visitor>;
  /** The conversation a message was said in, found with the dashboard's own search. */
  conversationOf(words: string): Promise<string>;
}

/**
 * Starts a real server and Chromium for the enclosing `describe` (in `beforeAll`, stopped in
 * `afterAll`) and returns the helpers the tests share. Call it inside a `describe.skipIf(!CHROMIUM)`.
 *
 * @example
 * const { browser, signIn, problems } = chromiumHarness({ agents: [{ ...EVE, name: 'Eve' }] });
 */
export function chromiumHarness(options: HarnessOptions = {}): Harness {
  const { agents = [], ignoredConsoleErrors = EXPECTED_CONSOLE_ERRORS, csp = false, onPage } = options;
  const server = new TestServer();
  const problems: string[] = [];
  let browser: Browser | undefined;
  let token = '';

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await server.start();
    browser = await launch(CHROMIUM!);
    token = await server.token();
    for (const agent of agents) await api('POST', '/api/users', { ...agent, role: 'agent' });
  });

  afterAll(async () => {
    await browser?.close();
    await server.dispose();
  });

  function api(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
  }

  function watch(page: Page, who: string): Page {
    page.on('pageerror', (error) => problems.push(`${who}: ${error.message}`));
    page.on('console', (message) => {
      const text = message.text();
      if (message.type() === 'error' && !ignoredConsoleErrors?.test(text)) problems.push(`${who}: ${text}`);
      if (csp && /Content Security Policy/i.test(text)) problems.push(`${who}: ${text}`);
    });
    onPage?.(page);
    return page;
  }

  async function signIn(context: BrowserContext, who: Account, path: string): Promise<Page> {
    context.setDefaultTimeout(8000);
    const page = watch(await context.newPage(), who.email);
    await page.goto(`${server.url}${path}`);
    await page.getByLabel('Email').fill(who.email);
    await page.getByLabel('Password').fill(who.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('parley-nav-bar [part="connection"].open').waitFor();
    return page;
  }

  async function openVisitor(context: BrowserContext): Promise<Visitor> {
    context.setDefaultTimeout(8000);
    if ((await fetch(`${server.url}/widget.js`)).ok) return widgetVisitor(watch(await context.newPage(), 'visitor'), server.url);
    console.warn('*** /widget.js is not built: the visitor is driven over a raw WebSocket ***');
    return RawVisitor.connect(server.wsUrl);
  }

  async function conversationOf(words: string): Promise<string> {
    const found = await until(async () => ((await (await api('GET', `/api/search?q=${encodeURIComponent(words)}`)).json()) as SearchResponse).results[0], `"${words}" indexed`);
    return found.conversation_id;
  }

  return {
    server,
    problems,
    browser: () => browser!,
    token: () => token,
    api,
    watch,
    signIn,
    openVisitor,
    conversationOf,
  };
}
