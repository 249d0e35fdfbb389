import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArticleView } from '@parley/protocol';
import { parseCli } from '../../src/cli.js';
import { exportArticles, importArticles } from '../../src/knowledge/commands.js';
import { buildTestServer, tempDataDir } from '../helper.js';
import { addCompany, call, login, OWNER, startAgentServer } from '../agent-helper.js';

const HOSTILE_TITLE = 'Refunds <script>alert(1)</script> & "quotes"';
const HOSTILE_BODY = 'Click <img src=x onerror=alert(2)> here.\n\n[link](javascript:alert(3)) and **bold** and <a href="javascript:alert(4)">a</a>';

async function page(http: string, path: string) {
  const res = await fetch(`${http}${path}`);
  return { status: res.status, html: await res.text(), headers: res.headers };
}

describe('the help center', () => {
  it('serves published articles as fast cookie-free HTML with search, and nothing else', async () => {
    const { app, http } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const add = async (body: object) => (await call<{ article: ArticleView }>(http, 'POST', '/api/articles', { token: owner.token, body })).body.article;
    const shipping = await add({ title: 'Shipping to Canada', body: 'We ship to Canada in 5 days.\n\n## Costs\nIt costs 15 EUR.', category: 'Shipping', status: 'published' });
    const hostile = await add({ title: HOSTILE_TITLE, body: HOSTILE_BODY, category: '<b>Cat</b>', status: 'published' });
    const draft = await add({ title: 'Wombat secret draft', body: 'Not yet.', status: 'draft' });

    const index = await page(http, '/help');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('set-cookie')).toBeNull();
    expect(index.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(index.html).toContain('<meta name="viewport" content="width=device-width,initial-scale=1">');
    expect(index.html).toContain(`<a href="/help/articles/${shipping.id}">Shipping to Canada</a>`);
    expect(index.html).toContain('<h2>Shipping</h2>');
    expect(index.html).not.toContain('Wombat');

    const article = await page(http, `/help/articles/${shipping.id}`);
    expect(article.status).toBe(200);
    expect(article.html).toContain('<h1>Shipping to Canada</h1>');
    expect(article.html).toContain('<b>Costs</b>');

    // Hostile titles and bodies are shown as text, never as markup.
    const bad = await page(http, `/help/articles/${hostile.id}`);
    expect(bad.status).toBe(200);
    expect(bad.html).toContain('Refunds &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
    expect(bad.html).not.toMatch(/<script|<img|href="javascript/i);
    expect(bad.html).toContain('Click &lt;img src=x onerror=alert(2)&gt; here.');
    expect(index.html).toContain('&lt;b&gt;Cat&lt;/b&gt;');
    expect(bad.html).toContain('<strong>bold</strong>');

    const search = await page(http, '/help?q=shiping%20to%20canda');
    expect(search.status).toBe(200);
    expect(search.html).toContain(`href="/help/articles/${shipping.id}"`);
    expect(search.html).toContain('We ship to Canada in 5 days.');
    const hostileSearch = await page(http, `/help?q=${encodeURIComponent('"><script>alert(5)</script>')}`);
    expect(hostileSearch.status).toBe(200);
    expect(hostileSearch.html).not.toContain('<script>alert(5)');
    expect((await page(http, '/help?q=wombat%20secret')).html).not.toContain(draft.id);

    // Drafts, unknown ids and unknown sites are 404s.
    expect((await page(http, `/help/articles/${draft.id}`)).status).toBe(404);
    expect((await page(http, '/help/articles/nope')).status).toBe(404);
    expect((await page(http, '/help/pk_unknown')).status).toBe(404);
    // Another company's help center is its own: A's articles are not there.
    const b = await addCompany(app, http, 'Bravo');
    expect((await page(http, `/help/${b.company.siteKey}/articles/${shipping.id}`)).status).toBe(404);
    const bIndex = await page(http, `/help/${b.company.siteKey}`);
    expect(bIndex.status).toBe(200);
    expect(bIndex.html).toContain('Bravo Help Center');
    expect(bIndex.html).not.toContain('Shipping to Canada');
    // A's site key works too.
    expect((await page(http, `/help/${app.companies.defaultCompany().siteKey}/articles/${shipping.id}`)).status).toBe(200);

    // Unpublishing takes it off at once.
    await call(http, 'PUT', `/api/articles/${shipping.id}`, { token: owner.token, body: { status: 'draft' } });
    expect((await page(http, `/help/articles/${shipping.id}`)).status).toBe(404);
    expect((await page(http, '/help?q=canada')).html).not.toContain(shipping.id);
  });
});

describe('parley articles import', () => {
  it('imports a folder of Markdown files with categories from sub-folders, and exports them', async () => {
    expect(parseCli(['articles', 'import', 'docs/help', '--site', 'pk_x', '-d', 'data'])).toEqual({
      command: 'articles-import',
      options: { dataDir: 'data' },
      articles: { path: 'docs/help', site: 'pk_x' },
    });
    expect(() => parseCli(['articles', 'import'])).toThrow('Usage: parley articles import PATH');

    const folder = tempDataDir();
    mkdirSync(join(folder, 'shipping'));
    writeFileSync(join(folder, 'shipping', 'canada.md'), '# Shipping to Canada\n\nWe ship to Canada.\n');
    writeFileSync(join(folder, 'returns.md'), '---\ntitle: Returns\ncategory: Orders\nstatus: draft\n---\nReturn within 30 days.\n');
    writeFileSync(join(folder, 'gift-cards.md'), 'Gift cards never expire.\n');
    writeFileSync(join(folder, 'notes.txt'), 'not an article');

    const app = await buildTestServer();
    expect(await importArticles(app, folder)).toBe('Imported 3 articles into Parley Demo (2 published, 1 drafts).\n'.replace('Parley Demo', app.companies.defaultCompany().name));
    const exported = JSON.parse(await exportArticles(app)) as { articles: Array<{ title: string; body: string; category: string; status: string }> };
    expect(exported.articles.sort((a, b) => a.title.localeCompare(b.title))).toEqual([
      { title: 'gift cards', body: 'Gift cards never expire.', category: '', status: 'published' },
      { title: 'Returns', body: 'Return within 30 days.', category: 'Orders', status: 'draft' },
      { title: 'Shipping to Canada', body: 'We ship to Canada.', category: 'shipping', status: 'published' },
    ]);
    const hits = await app.knowledge.search(app.companies.defaultCompany().id, 'do you ship to canada', 3);
    expect(hits[0]?.title).toBe('Shipping to Canada');
  });
});
