// @vitest-environment node
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { WebhookEndpointResponse } from '@parley/protocol';
import { OWNER } from '../server.js';
import { ARTIFACTS, CHROMIUM, chromiumHarness } from './harness.js';

/*
 * The webhooks screen in Chromium with endpoints in the states an admin has to act on (disabled
 * for failing, just given a new secret), kept as
 * screenshots in artifacts/ (look at them). Skipped without Chromium, like dashboard.test.ts.
 */
describe.skipIf(!CHROMIUM)('webhooks screen in Chromium', () => {
  // Every console error counts here, and every confirmation is accepted.
  const harness = chromiumHarness({ ignoredConsoleErrors: null, onPage: (page) => page.on('dialog', (dialog) => void dialog.accept()) });
  const { server, problems, browser } = harness;
  // `/down` fails; anything else is acknowledged.
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(req.url === '/down' ? 500 : 200).end());
  });

  beforeAll(() => new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

  /** A request as the owner that must succeed; its JSON body. */
  async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await harness.api(method, path, body);
    expect(response.ok, `${method} ${path}: ${response.status}`).toBe(true);
    return (await response.json()) as T;
  }

  async function webhooksScreen(viewport: { width: number; height: number }): Promise<Page> {
    const context = await browser().newContext({ viewport });
    context.setDefaultTimeout(8000);
    const page = harness.watch(await context.newPage(), 'owner');
    await page.goto(`${server.url}/admin/webhooks`);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('parley-webhooks-view [part="endpoint"]').first().waitFor();
    return page;
  }

  it('shows an endpoint disabled for failing, with the way to enable it again', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const failing = await api<WebhookEndpointResponse>('POST', '/api/webhooks', { url: `http://127.0.0.1:${port}/down`, events: ['lead.created'], description: 'Old CRM' });
    // The test server disables an endpoint after one given-up delivery of one attempt.
    await api('POST', `/api/webhooks/${failing.endpoint.id}/test`, {});
    await api('POST', '/api/webhooks', { url: `http://127.0.0.1:${port}/crm`, events: ['lead.created', 'conversation.handoff'], description: 'CRM' });

    const page = await webhooksScreen({ width: 1280, height: 800 });
    const card = page.locator(`parley-webhooks-view [data-endpoint="${failing.endpoint.id}"]`);
    await expect.poll(() => card.locator('[data-disabled-notice]').textContent()).toBe('Disabled after 1 failed delivery in a row. Fix the receiver, then enable the endpoint.');
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}laptop-webhooks-disabled.png`, fullPage: true });
    const phone = await webhooksScreen({ width: 390, height: 844 });
    await phone.locator(`parley-webhooks-view [data-endpoint="${failing.endpoint.id}"]`).scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${ARTIFACTS}phone-webhooks-disabled.png` });

    await card.locator('[data-action="toggle"]').click();
    await card.locator('[data-action="toggle"]', { hasText: 'Disable' }).waitFor();
    expect(await card.locator('[data-disabled-notice]').count()).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);

  it('says until when the previous secret signs after a new one, and stops it on request', async () => {
    const page = await webhooksScreen({ width: 1280, height: 800 });
    const card = page.locator('parley-webhooks-view [part="endpoint"]', { hasText: '/crm' });
    await card.locator('[data-action="rotate"]').click();
    await card.locator('[data-webhook-secret]').waitFor();
    await page.locator('parley-webhooks-view [role="status"]', { hasText: 'The previous secret also signs requests until' }).waitFor();
    await card.locator('[data-previous-secret]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${ARTIFACTS}laptop-webhooks-rotated.png` });
    const phone = await webhooksScreen({ width: 390, height: 844 });
    await phone.locator('parley-webhooks-view [data-previous-secret]').scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${ARTIFACTS}phone-webhooks-rotated.png` });

    await card.locator('[data-action="expire-previous"]').click();
    await page.locator('parley-webhooks-view [role="status"]', { hasText: 'The previous secret no longer signs requests.' }).waitFor();
    // The card redraws from the answer after the status line: wait for it (it must go).
    await expect.poll(() => card.locator('[data-previous-secret]').count()).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);
});
