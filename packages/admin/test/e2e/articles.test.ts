// @vitest-environment node
import { describe, expect, it } from 'vitest';
import type { ArticleList } from '@parley/protocol';
import { OWNER } from '../server.js';
import { ARTIFACTS, CHROMIUM, chromiumHarness, LAPTOP } from './harness.js';

/*
 * Articles in Chromium against the real server: the owner writes one in the editor (the preview
 * is the server's rendering), publishes it, finds it with the search, and imports a JSON file.
 * Screenshots go to artifacts/.
 */
describe.skipIf(!CHROMIUM)('articles in Chromium', () => {
  const { problems, browser, api, signIn } = chromiumHarness();

  it('the owner writes, previews, publishes, searches and imports articles', async () => {
    const context = await browser().newContext({ viewport: LAPTOP });
    const page = await signIn(context, OWNER, '/admin/articles');
    const view = page.locator('parley-articles-view');
    await view.getByText('No articles yet').waitFor();

    await view.getByRole('button', { name: 'New article' }).click();
    const editor = view.locator('[part="editor"]');
    await editor.getByLabel('Title').fill('Shipping to Canada');
    await editor.getByLabel('Category').fill('Shipping');
    await editor.getByLabel('Body (Markdown)').fill('We ship to Canada.\n\n## Costs\nShipping costs **15 EUR**.\n\n<script>alert(1)</script>');
    const preview = view.locator('[part="preview"]');
    await preview.locator('strong', { hasText: '15 EUR' }).waitFor();
    expect(await preview.locator('script').count()).toBe(0);
    await preview.getByText('<script>alert(1)</script>').waitFor();
    await editor.getByLabel(/Published \(the bot/).check();
    await editor.getByRole('button', { name: 'Save' }).click();
    await view.getByText('Saved and published.').waitFor();
    await view.locator('[part="list"]').getByText('Shipping to Canada').waitFor();
    await page.screenshot({ path: `${ARTIFACTS}laptop-articles-editor.png` });

    // Import a JSON file through the upload.
    const file = JSON.stringify([{ title: 'Return policy', body: 'Return within 30 days.', category: 'Returns' }, { title: 'Gift cards', body: 'They never expire.', status: 'draft' }]);
    await view.locator('input[type="file"]').setInputFiles({ name: 'articles.json', mimeType: 'application/json', buffer: Buffer.from(file) });
    await view.getByText('Imported 2 articles.').waitFor();
    const list = ((await (await api('GET', '/api/articles')).json()) as ArticleList).articles;
    expect(list.map((a) => `${a.title}:${a.status}`).sort()).toEqual(['Gift cards:draft', 'Return policy:published', 'Shipping to Canada:published']);

    // Search and the category filter narrow the list.
    await view.getByRole('button', { name: 'Close' }).click();
    await view.getByLabel('Search articles').fill('canada');
    await expect.poll(() => view.locator('[part="list"] li').count()).toBe(1);
    await view.getByLabel('Search articles').fill('');
    await view.getByLabel('Category').selectOption('Returns');
    await expect.poll(() => view.locator('[part="list"] li').allTextContents()).toEqual([expect.stringContaining('Return policy')]);
    await page.screenshot({ path: `${ARTIFACTS}laptop-articles-list.png` });
    expect(problems).toEqual([]);
    await context.close();
  });
});
