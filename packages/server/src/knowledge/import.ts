import { readdir, readFile } from 'node:fs/promises';
import { basename, extname, join, relative, sep } from 'node:path';
import { Compile } from 'typebox/compile';
import { ArticleImportItem } from '@parley/protocol';
import { Errors } from '../errors.js';
import type { ArticleInput } from './types.js';

/** Articles one import may hold. */
export const MAX_IMPORT = 5000;

const checkItem = Compile(ArticleImportItem);

/** Parses CSV (RFC 4180: commas, double-quoted fields with `""` escapes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return rows;
}

function checked(items: unknown[], where: string): ArticleInput[] {
  if (items.length > MAX_IMPORT) throw Errors.validation(`An import holds at most ${MAX_IMPORT} articles`);
  return items.map((item, i) => {
    if (!checkItem.Check(item)) throw Errors.validation(`${where} item ${i + 1}: needs a title (1-200 characters) and a body; status is draft or published`);
    return { title: item.title, body: item.body, category: item.category ?? '', status: item.status ?? 'published' };
  });
}

/**
 * Articles from an import file: a JSON array (or `{ "articles": [...] }`, what export writes) of
 * `{title, body, category?, status?}`, or CSV with a header row naming those columns. Status
 * defaults to published. 400 `validation_failed` says which item is wrong; nothing is imported then.
 */
export function parseImport(fileName: string, content: string): ArticleInput[] {
  const text = content.replace(/^\uFEFF/, '');
  const kind = extname(fileName).toLowerCase();
  if (kind === '.json' || (kind !== '.csv' && /^\s*[[{]/.test(text))) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw Errors.validation('The file is not valid JSON');
    }
    const items = Array.isArray(data) ? data : (data as { articles?: unknown })?.articles;
    if (!Array.isArray(items)) throw Errors.validation('JSON must be an array of articles or { "articles": [...] }');
    return checked(items, 'JSON');
  }
  const [header, ...rows] = parseCsv(text);
  if (!header) throw Errors.validation('The CSV file is empty');
  const columns = header.map((h) => h.trim().toLowerCase());
  if (!columns.includes('title') || !columns.includes('body')) throw Errors.validation('The CSV header must name the columns title and body (category and status are optional)');
  const items = rows.map((cells) => Object.fromEntries(columns.flatMap((c, i) => (['title', 'body', 'category', 'status'].includes(c) && cells[i] !== undefined && (c !== 'status' || cells[i] !== '') ? [[c, cells[i]]] : []))));
  return checked(items, 'CSV row');
}

/**
 * An article from a Markdown file: its title from a first `# Heading` (else the file name), an
 * optional front matter block (`title:`, `category:`, `status:`), the rest as the body. Without a
 * `category`, the folder the file sits in names it.
 */
export function parseMarkdownArticle(fileName: string, content: string, folderCategory = ''): ArticleInput {
  let text = content.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const meta: Record<string, string> = {};
  const front = /^---\n([\s\S]*?)\n---\n?/.exec(text);
  if (front) {
    for (const line of front[1]!.split('\n')) {
      const m = /^([a-z]+):\s*(.*?)\s*$/i.exec(line);
      if (m) meta[m[1]!.toLowerCase()] = m[2]!.replace(/^["']|["']$/g, '');
    }
    text = text.slice(front[0].length);
  }
  let title = meta.title;
  const h1 = /^\s*#\s+(.+?)\s*#*\s*(?:\n|$)/.exec(text);
  if (!title && h1) {
    title = h1[1]!;
    text = text.slice(h1[0].length);
  }
  title ||= basename(fileName, extname(fileName)).replace(/[-_]+/g, ' ').trim();
  const status = meta.status === 'draft' ? 'draft' : 'published';
  return checked([{ title: title.slice(0, 200), body: text.trim(), category: (meta.category ?? folderCategory).slice(0, 80), status }], fileName)[0]!;
}

/** Every `.md` file under a folder (sub-folders name the category), sorted by path. */
export async function readMarkdownFolder(folder: string): Promise<ArticleInput[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && /\.(md|markdown)$/i.test(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  if (files.length > MAX_IMPORT) throw Errors.validation(`An import holds at most ${MAX_IMPORT} articles`);
  const articles: ArticleInput[] = [];
  for (const file of files) {
    const parts = relative(folder, file).split(sep);
    const category = parts.length > 1 ? parts[parts.length - 2]!.replace(/[-_]+/g, ' ') : '';
    articles.push(parseMarkdownArticle(file, await readFile(file, 'utf8'), category));
  }
  return articles;
}
