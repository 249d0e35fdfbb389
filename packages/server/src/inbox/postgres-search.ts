import { sql } from 'kysely';
import type { MessageRole, SearchHit } from '@parley/protocol';
import type { DatabaseHandle } from '../db/handle.js';
import { param, prepareQuery } from '../db/prepared.js';
import { HIT_CLOSE, HIT_OPEN, snippetToHtml, toFtsQuery } from '../lib/fts.js';
import type { SearchIndex } from './search-types.js';

/** Tokens a snippet shows, as FTS5's `snippet(…, 12)` on SQLite. */
const SNIPPET_TOKENS = 12;
const ELLIPSIS = '…';
/** A token as SQLite's `unicode61` tokenizer cuts them: letters, digits, marks, private-use characters. */
const TOKEN = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;

/** One word of a search: all must match; `prefix` also matches longer words. */
export interface SearchTerm {
  text: string;
  prefix: boolean;
}

/**
 * The words of what a person typed, by the same rules as the FTS5 query (`toFtsQuery`: letters
 * and digits only, at most 16 words, the last one a prefix while it is being typed).
 */
export function searchTerms(input: string): SearchTerm[] {
  const query = toFtsQuery(input);
  if (!query) return [];
  return [...query.matchAll(/"([^"]*)"(\*?)/g)].map(([, text, star]) => ({ text: text!.toLowerCase(), prefix: star === '*' }));
}

/**
 * The terms as a `to_tsquery` text: each word quoted (only letters and digits are left, so a
 * quote never occurs in it), `:*` on a prefix, all joined by `&`.
 */
export function toTsQuery(terms: readonly SearchTerm[]): string {
  return terms.map((t) => `'${t.text}'${t.prefix ? ':*' : ''}`).join(' & ');
}

/**
 * A snippet as FTS5's `snippet(col, HIT_OPEN, HIT_CLOSE, '…', 12)` makes it, from the text and
 * the terms: the 12-token window with the most different terms (a window at a sentence start
 * preferred, the first of equals taken), placed so its hits sit in the middle, each hit between
 * the markers, and `…` where text was left out at either end. `snippetToHtml` escapes it.
 */
export function snippet(text: string, terms: readonly SearchTerm[], size = SNIPPET_TOKENS): string {
  const tokens = [...text.matchAll(TOKEN)].map((m) => ({ start: m.index, end: m.index + m[0].length, word: m[0].toLowerCase() }));
  const n = tokens.length;
  // (term, position) pairs in position order, as FTS5's instances.
  const instances: Array<{ term: number; pos: number }> = [];
  tokens.forEach((token, pos) => {
    terms.forEach((term, i) => {
      if (term.prefix ? token.word.startsWith(term.text) : token.word === term.text) instances.push({ term: i, pos });
    });
  });
  const hitAt = new Set(instances.map((i) => i.pos));
  // Sentence starts: the first token, and a token after whitespace that follows '.' or ':'.
  const sentences: number[] = [];
  tokens.forEach((token, pos) => {
    if (pos === 0) {
      sentences.push(0);
      return;
    }
    let i = token.start - 1;
    while (i >= 0 && ' \t\n\r'.includes(text[i]!)) i--;
    if (i !== token.start - 1 && (text[i] === '.' || text[i] === ':')) sentences.push(pos);
  });
  const score = (from: number): { score: number; first: number; last: number } => {
    const seen = new Set<number>();
    let total = 0;
    let first = -1;
    let last = 0;
    for (const { term, pos } of instances) {
      if (pos < from || pos >= from + size) continue;
      total += seen.has(term) ? 1 : 1000;
      seen.add(term);
      if (first < 0) first = pos;
      last = pos + 1;
    }
    return { score: total, first, last };
  };
  let best = 0;
  let start = 0;
  for (const { pos } of instances) {
    const window = score(pos);
    if (window.score > best) {
      best = window.score;
      let adjusted = window.first - Math.trunc((size - (window.last - window.first)) / 2);
      if (adjusted + size > n) adjusted = n - size;
      start = Math.max(0, adjusted);
    }
    if (n > size && sentences.length) {
      let j = 0;
      while (j < sentences.length - 1 && sentences[j + 1]! <= pos) j++;
      const sentence = sentences[j]!;
      if (sentence < pos) {
        const atSentence = score(sentence).score + (sentence === 0 ? 120 : 100);
        if (atSentence > best) [best, start] = [atSentence, sentence];
      }
    }
  }
  if (n === 0) return text;
  const end = Math.min(start + size, n) - 1;
  let out = start > 0 ? ELLIPSIS : '';
  let offset = start > 0 ? tokens[start]!.start : 0;
  for (let pos = start; pos <= end; pos++) {
    const token = tokens[pos]!;
    if (hitAt.has(pos)) {
      out += `${text.slice(offset, token.start)}${HIT_OPEN}${text.slice(token.start, token.end)}${HIT_CLOSE}`;
      offset = token.end;
    }
  }
  out += end >= n - 1 ? text.slice(offset) : `${text.slice(offset, tokens[end]!.end)}${ELLIPSIS}`;
  return out;
}

/**
 * PostgreSQL's message search. There is nothing to index: the baseline migration's GIN index on
 * `to_tsvector('simple', text)` follows every write, so a message is found as soon as it is
 * committed. A search is `@@` against that expression (written as the index has it, so the
 * index is used), ranked by `ts_rank`; the snippet is cut here from the text, as FTS5 cuts it.
 * `simple` folds case but not accents (FTS5 folds both; see the baseline migration).
 */
export class PostgresSearchIndex implements SearchIndex {
  private readonly query;

  constructor(database: DatabaseHandle & { dialect: 'postgres' }) {
    const { db } = database;
    this.query = prepareQuery(database, { query: param<string>(), company: param<string>(), limit: param<number>() }, (p) =>
      db
        .selectFrom('messages as m')
        .innerJoin('conversations as c', (join) => join.onRef('c.id', '=', 'm.conversation_id').onRef('c.company_id', '=', 'm.company_id'))
        .select(['m.conversation_id', 'm.seq', 'm.role', 'm.created_at', 'm.text'])
        // Text search operators and functions have no Kysely syntax; 'simple' is written into
        // the SQL (not bound) so the expression is the index's.
        .where(sql<boolean>`to_tsvector('simple', m.text) @@ to_tsquery('simple', ${p.query})`)
        .where('m.company_id', '=', p.company)
        .where('c.is_test', '=', 0)
        .orderBy(sql`ts_rank(to_tsvector('simple', m.text), to_tsquery('simple', ${p.query}))`, 'desc')
        .orderBy('m.id')
        .limit(p.limit),
    );
  }

  async flush(): Promise<number> {
    return 0;
  }

  async search(companyId: string, text: string, limit: number): Promise<SearchHit[]> {
    const terms = searchTerms(text);
    if (terms.length === 0) return [];
    const rows = await this.query.all({ query: toTsQuery(terms), company: companyId, limit });
    return rows.map((r) => ({
      conversation_id: r.conversation_id,
      seq: r.seq,
      role: r.role as MessageRole,
      snippet: snippetToHtml(snippet(r.text, terms)),
      created_at: r.created_at,
    }));
  }

  stop(): void {}
}
