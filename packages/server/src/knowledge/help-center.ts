import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { escapeHtml, Strict } from '@parley/protocol';
import type { Company } from '../companies/companies.js';
import { articleHtml, excerptOf } from './passages.js';
import type { Article } from './types.js';

const SiteParams = Strict({ site: Type.String({ minLength: 1, maxLength: 64 }) });
const ArticleParams = Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const SiteArticleParams = Strict({ site: Type.String({ minLength: 1, maxLength: 64 }), id: Type.String({ minLength: 1, maxLength: 64 }) });
const SearchQuery = Strict({ q: Type.Optional(Type.String({ maxLength: 200 })) });
const Html = Type.String();

/** Articles the index page lists at most. */
const MAX_LISTED = 1000;

/**
 * No scripts, no cookies, no third-party anything: inline styles only, forms post to this origin.
 * Any page may link here (and frame it, such as a widget's panel).
 */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; form-action 'self'; base-uri 'none'";

const STYLE = `*{box-sizing:border-box}body{margin:0;font:16px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f6f7f9}
header{background:#1d4ed8;color:#fff;padding:1rem}header a{color:#fff;text-decoration:none;font-weight:600;font-size:1.15rem}
main{max-width:44rem;margin:0 auto;padding:1rem}form{display:flex;gap:.5rem;margin:0 0 1.25rem}
input{flex:1;min-width:0;font:inherit;padding:.6rem .75rem;border:1px solid #b8bfcc;border-radius:.5rem}
button{font:inherit;padding:.6rem 1rem;border:0;border-radius:.5rem;background:#1d4ed8;color:#fff}
h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem;color:#4b5565}
ul.list{list-style:none;padding:0;margin:0}ul.list li{background:#fff;border:1px solid #e3e6eb;border-radius:.5rem;margin:.5rem 0;padding:.75rem 1rem}
ul.list a{font-weight:600;color:#1d4ed8;text-decoration:none}.meta,.hit{color:#5b6473;font-size:.9rem;margin:.25rem 0 0}
article{background:#fff;border:1px solid #e3e6eb;border-radius:.5rem;padding:1rem 1.25rem;overflow-wrap:anywhere}
a{color:#1d4ed8}@media (prefers-color-scheme:dark){body{background:#111418;color:#e6e8ec}article,ul.list li{background:#1a1e24;border-color:#2b313a}
ul.list a,a{color:#8ab4ff}.meta,.hit{color:#a3acb9}input{background:#1a1e24;color:inherit;border-color:#3a414c}}`;

/** The base path of a company's help center. */
function baseOf(company: Company): string {
  return company.isDefault ? '/help' : `/help/${encodeURIComponent(company.siteKey)}`;
}

function page(company: Company, title: string, body: string, query = ''): string {
  const base = baseOf(company);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>
<header><a href="${base}">${escapeHtml(company.name)} Help Center</a></header><main>
<form action="${base}" method="get" role="search"><input type="search" name="q" value="${escapeHtml(query)}" placeholder="Search for answers" aria-label="Search articles"><button type="submit">Search</button></form>
${body}</main></body></html>`;
}

function send(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('content-security-policy', CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', status === 200 ? 'public, max-age=60' : 'no-store')
    .send(html);
}

/**
 * The public help center: the company's published articles, server-rendered HTML that reads well
 * on a phone, with search. `/help` is the default company's; `/help/<site key>` another's. No
 * cookies, no scripts; drafts and other companies' articles answer 404 like missing ones. Titles
 * are escaped and bodies are light HTML built from escaped Markdown.
 */
const helpCenter: FastifyPluginAsyncTypebox = async (app) => {
  const { knowledge, companies } = app;
  const config = { rateLimit: { max: 300, timeWindow: '1 minute' } };
  const schema = { querystring: SearchQuery, response: { 200: Html, 404: Html } };

  const companyOf = (site?: string): Company | undefined => {
    try {
      return companies.resolveSite(site);
    } catch {
      return undefined;
    }
  };
  const notFound = (reply: FastifyReply, company?: Company) =>
    send(
      reply,
      404,
      company
        ? page(company, 'Not found', `<h1>Not found</h1><p>This article does not exist or is not published. <a href="${baseOf(company)}">All articles</a></p>`)
        : '<!doctype html><meta charset="utf-8"><title>Not found</title><p>No help center here.</p>',
    );

  const index = async (company: Company, q: string | undefined, reply: FastifyReply) => {
    const base = baseOf(company);
    const link = (id: string) => `${base}/articles/${encodeURIComponent(id)}`;
    if (q?.trim()) {
      const hits = (await knowledge.search(company.id, q, 10)).filter((h) => h.score > 0);
      const items = hits.map(
        (h) =>
          `<li><a href="${link(h.articleId)}">${escapeHtml(h.title)}</a>${h.heading ? `<p class="meta">${escapeHtml(h.heading)}</p>` : ''}<p class="hit">${escapeHtml(excerptOf(h.text, 220))}</p></li>`,
      );
      const body = `<h1>Results for “${escapeHtml(q.trim())}”</h1>${items.length ? `<ul class="list">${items.join('')}</ul>` : '<p>No article matches. Try other words, or ask us in the chat.</p>'}`;
      return send(reply, 200, page(company, `Search: ${q.trim()} - ${company.name} Help Center`, body, q));
    }
    const articles = await knowledge.store.list(company.id, { status: 'published' });
    const byCategory = new Map<string, Article[]>();
    for (const article of articles.slice(0, MAX_LISTED)) {
      const list = byCategory.get(article.category) ?? [];
      list.push(article);
      byCategory.set(article.category, list);
    }
    const sections = [...byCategory]
      .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
      .map(([category, list]) => {
        const items = list.sort((a, b) => a.title.localeCompare(b.title)).map((a) => `<li><a href="${link(a.id)}">${escapeHtml(a.title)}</a></li>`);
        return `<h2>${escapeHtml(category || 'More articles')}</h2><ul class="list">${items.join('')}</ul>`;
      });
    const body = `<h1>How can we help?</h1>${sections.length ? sections.join('') : '<p>No articles yet.</p>'}`;
    return send(reply, 200, page(company, `${company.name} Help Center`, body));
  };

  const article = async (company: Company, id: string, reply: FastifyReply) => {
    const found = await knowledge.store.published(company.id, id);
    if (!found) return notFound(reply, company);
    const meta = [found.category, `Updated ${found.updatedAt.slice(0, 10)}`].filter(Boolean).map(escapeHtml).join(' · ');
    const body = `<article><h1>${escapeHtml(found.title)}</h1><p class="meta">${meta}</p>${articleHtml(found.body)}</article><p><a href="${baseOf(company)}">← All articles</a></p>`;
    return send(reply, 200, page(company, `${found.title} - ${company.name} Help Center`, body));
  };

  app.get('/help', { config, schema }, async (request, reply) => index(companies.defaultCompany(), request.query.q, reply));
  app.get('/help/articles/:id', { config, schema: { params: ArticleParams, response: schema.response } }, async (request, reply) =>
    article(companies.defaultCompany(), request.params.id, reply),
  );
  app.get('/help/:site', { config, schema: { ...schema, params: SiteParams } }, async (request, reply) => {
    const company = companyOf(request.params.site);
    return company ? index(company, request.query.q, reply) : notFound(reply);
  });
  app.get('/help/:site/articles/:id', { config, schema: { params: SiteArticleParams, response: schema.response } }, async (request, reply) => {
    const company = companyOf(request.params.site);
    return company ? article(company, request.params.id, reply) : notFound(reply);
  });
};

export default helpCenter;
