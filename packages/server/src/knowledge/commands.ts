import { readFile, stat } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';
import { parseImport, readMarkdownFolder } from './import.js';
import type { ArticleInput } from './types.js';

/**
 * `parley articles import PATH`: a folder of Markdown files (sub-folders name categories) or a
 * JSON/CSV file, into the company of `siteKey` (the default company without one). Nothing is
 * imported when one article is wrong. Returns the line to print.
 */
export async function importArticles(app: FastifyInstance, path: string, siteKey?: string): Promise<string> {
  const company = app.companies.resolveSite(siteKey);
  const articles: ArticleInput[] = (await stat(path)).isDirectory() ? await readMarkdownFolder(path) : parseImport(path, await readFile(path, 'utf8'));
  const created = await app.knowledge.create(company.id, articles);
  const published = created.filter((a) => a.status === 'published').length;
  return `Imported ${created.length} articles into ${company.name} (${published} published, ${created.length - published} drafts).\n`;
}

/** `parley articles export`: the company's articles as JSON that `import` takes back. */
export async function exportArticles(app: FastifyInstance, siteKey?: string): Promise<string> {
  const company = app.companies.resolveSite(siteKey);
  const articles = await app.knowledge.store.list(company.id);
  return `${JSON.stringify({ articles: articles.map(({ title, body, category, status }) => ({ title, body, category, status })) }, null, 2)}\n`;
}
