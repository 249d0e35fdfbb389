// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { CompanyList } from '@parley/protocol';
import { OWNER } from '../server.js';
import { ARTIFACTS, CHROMIUM, chromiumHarness, LAPTOP, PHONE } from './harness.js';

const PETER = { email: 'peter@initech.example', password: 'tps-report-1' };

/*
 * The owner's Companies screen in Chromium against the real server: the owner adds Initech with
 * Peter as its first admin, and Peter signs in to Initech's own, empty inbox. Screenshots of the
 * screen before and after, laptop and phone, go to artifacts/ (look at them). Skipped without
 * Chromium, like dashboard.test.ts.
 */
describe.skipIf(!CHROMIUM)('the Companies screen in Chromium', () => {
  const { server, problems, browser, api, signIn } = chromiumHarness();

  /** Fills the "Add a company" form and waits for the new company's API key. */
  async function addCompany(page: Page, fields: Record<string, string>): Promise<string> {
    const form = page.locator('parley-companies-view [part="add"]');
    for (const [name, value] of Object.entries(fields)) await form.locator(`[name="${name}"]`).fill(value);
    await form.getByRole('button', { name: 'Add company' }).click();
    return (await page.locator('parley-companies-view [data-api-key]').textContent())!;
  }

  it('the owner adds a company with its first admin, who then signs in to its empty inbox', async () => {
    const owner = await signIn(await browser().newContext({ viewport: LAPTOP }), OWNER, '/admin/companies');
    await owner.locator('parley-companies-view [part="company"]').first().waitFor();
    await owner.screenshot({ path: `${ARTIFACTS}laptop-companies.png`, fullPage: true });

    const key = await addCompany(owner, {
      name: 'Initech',
      origins: 'https://initech.example\nhttps://www.initech.example',
      'admin-email': PETER.email,
      'admin-name': 'Peter',
      'admin-password': PETER.password,
    });
    expect(key.length).toBeGreaterThan(16);
    await expect.poll(() => owner.locator('parley-companies-view [part="company"]').count()).toBe(2);
    await owner.screenshot({ path: `${ARTIFACTS}laptop-companies-created.png`, fullPage: true });
    const { companies } = (await (await api('GET', '/api/companies')).json()) as CompanyList;
    const initech = companies.find((c) => c.name === 'Initech')!;
    expect(initech.allowed_origins).toEqual(['https://initech.example', 'https://www.initech.example']);
    expect(await owner.locator('parley-companies-view [part="snippet"]').textContent()).toBe(`<script src="${server.url}/widget.js" data-site="${initech.site_key}" async></script>`);

    const peter = await signIn(await browser().newContext({ viewport: LAPTOP }), PETER, '/admin');
    await peter.locator('parley-chat-list [part="empty"]').waitFor();
    expect(await peter.locator('parley-chat-list [part="item"]').count()).toBe(0);
    expect(await peter.locator('parley-nav-bar [data-screen="companies"]').count()).toBe(0);
    expect(await peter.locator('parley-nav-bar [part="account"]').textContent()).toContain('admin');
    expect(problems).toEqual([]);
  });

  it('reads well on a phone: the list, a new company with its key, and the "Add an admin" form', async () => {
    const owner = await signIn(await browser().newContext({ viewport: PHONE }), OWNER, '/admin/companies');
    await owner.locator('parley-companies-view [part="company"]').first().waitFor();
    await owner.screenshot({ path: `${ARTIFACTS}phone-companies.png`, fullPage: true });

    await addCompany(owner, { name: 'Hooli' });
    await owner.locator('parley-companies-view [part="created"]').scrollIntoViewIfNeeded();
    await owner.screenshot({ path: `${ARTIFACTS}phone-companies-created.png` });

    const hooli = owner.locator('parley-companies-view [part="company"]', { hasText: 'Hooli' });
    await hooli.getByRole('button', { name: 'Add an admin' }).click();
    const form = hooli.locator('parley-company-admin-form');
    await form.locator('[name="email"]').fill('gavin@hooli.example');
    await form.locator('[name="name"]').fill('Gavin');
    await form.locator('[name="password"]').fill('hooli-xyz-1');
    await form.getByRole('button', { name: 'Add admin' }).click();
    await expect.poll(() => form.locator('[role="status"]').textContent()).toBe('Gavin can now sign in to Hooli with gavin@hooli.example.');
    await form.scrollIntoViewIfNeeded();
    await owner.screenshot({ path: `${ARTIFACTS}phone-companies-add-admin.png` });
    expect(problems).toEqual([]);
  });
});
