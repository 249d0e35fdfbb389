// @vitest-environment node
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumPath, launchChromium, startHostSite } from './browser.js';
import { TestServer } from './server.js';

const CHROMIUM = chromiumPath();
const ARTIFACTS = fileURLToPath(new URL('../artifacts/', import.meta.url));

describe.skipIf(!CHROMIUM)('browser end to end: answers from help articles', () => {
  const parley = new TestServer('localhost');
  let site: Awaited<ReturnType<typeof startHostSite>>;
  let browser: Browser;
  let articleId = '';

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await parley.start();
    const app = parley.app!;
    const [shipping] = await app.knowledge.create(app.companies.defaultCompany().id, [
      {
        title: 'International shipping',
        body: 'We ship to Canada, the United States and all of Europe.\n\n## Costs abroad\nShipping to Canada costs 14.95 EUR and takes 5 to 10 working days.',
        category: 'Shipping',
        status: 'published',
      },
      { title: 'Return policy', body: 'You can return unworn items within 30 days for a full refund.', category: 'Returns', status: 'published' },
    ]);
    articleId = shipping!.id;
    site = await startHostSite(() => `${parley.url}/widget.js`);
    browser = await launchChromium(CHROMIUM!);
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await parley.dispose();
  });

  it('shows the matching article as a card loaded on demand, links to the help center, and takes the feedback', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 760 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const scripts: string[] = [];
    page.on('request', (request) => {
      if (request.resourceType() === 'script') scripts.push(request.url());
    });
    await page.goto(site.url);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const chat = page.locator('parley-chat');
    await chat.getByText('Are you an existing customer?').waitFor();
    expect(scripts.some((s) => /\/article-[\w-]+\.js$/.test(s))).toBe(false);

    const input = chat.locator('parley-composer input');
    await input.fill('how much does delivery to canada cost?');
    await input.press('Enter');
    const card = chat.locator('parley-article');
    await card.getByText('Shipping to Canada costs 14.95 EUR').waitFor();
    expect(scripts.some((s) => /\/article-[\w-]+\.js$/.test(s))).toBe(true);
    await expect.poll(() => card.locator('[part=title]').textContent()).toBe('International shipping');
    const link = card.getByRole('link', { name: 'Read the article' });
    expect(await link.getAttribute('href')).toBe(`${parley.url}/help/articles/${articleId}`);
    expect(await link.getAttribute('target')).toBe('_blank');
    await chat.getByText('Did that answer your question?').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}article-answer.png` });

    await chat.getByRole('button', { name: 'Yes' }).last().click();
    await chat.getByText('Great, glad I could help!').waitFor();
    await expect
      .poll(async () => (await parley.app!.knowledge.store.get(parley.app!.companies.defaultCompany().id, articleId)).helpfulVotes)
      .toBe(1);
    await page.screenshot({ path: `${ARTIFACTS}article-feedback.png` });

    // The link opens the help center page, readable on the phone.
    const help = await context.newPage();
    const response = await help.goto(`${parley.url}/help/articles/${articleId}`);
    expect(response?.status()).toBe(200);
    await help.getByRole('heading', { name: 'International shipping' }).waitFor();
    expect(await help.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await help.screenshot({ path: `${ARTIFACTS}help-center-article.png` });
    expect(errors).toEqual([]);
    await context.close();
  });
});
