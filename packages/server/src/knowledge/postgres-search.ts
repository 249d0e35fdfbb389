import { sql } from 'kysely';
import type { DatabaseHandle } from '../db/handle.js';
import { param, prepareQuery } from '../db/prepared.js';
import { words as foldedWords } from './query.js';
import type { PassageEntry, PassageSearch } from './passage-search.js';
import type { Candidate } from './types.js';

/**
 * `ts_rank`'s weights, in its order {D, C, B, A}: FTS5's BM25 column weights (title 6, heading 3,
 * body 1) scaled to at most 1 — title A 1, heading B 0.5, body C 1/6; D (unused) 0.
 */
const WEIGHTS = '{0, 0.1667, 0.5, 1}';
/** `ts_rank` normalization 1: divides by 1 + log(length), so long passages do not win by length, as BM25's. */
const NORMALIZATION = 1;

/**
 * PostgreSQL's passage search: `article_fts` is a plain table whose `document` is a stored,
 * weighted `to_tsvector('english', …)` of title (A), heading (B) and body (C), behind a GIN index
 * (baseline migration); `english` stems as FTS5's `porter` does.
 *
 * - The company column holds the company id, filtered on beside the `@@` (its own index).
 * - The text written there is folded as FTS5's `unicode61 remove_diacritics 2` folds it (lower
 *   case, accents off, words only: `query.ts` `words`), since `english` keeps accents: the
 *   question's words are folded the same way, so "rembourse" finds "remboursé" on both. The
 *   passage and title shown come from `article_passages` and `articles`, never from here.
 * - The rank is `-ts_rank(…)`: negative, lower is better, like BM25, so the re-ranking, which
 *   only uses a candidate's rank relative to the best one's, reads both the same. The answer's
 *   confidence does not depend on it at all (it is the question's coverage, computed in
 *   `retriever.ts` from the candidates' text), so the threshold tuned on FTS5 holds.
 */
export class PostgresPassageSearch implements PassageSearch {
  private readonly query;

  constructor(database: DatabaseHandle & { dialect: 'postgres' }) {
    const { db } = database;
    this.query = prepareQuery(database, { query: param<string>(), company: param<string>(), limit: param<number>() }, (p) =>
      db
        .selectFrom(
          db
            .selectFrom('article_fts')
            // Text search functions have no Kysely syntax; the configuration is written into the
            // SQL (not bound) so the expression matches the GIN index's.
            .select(['rowid', sql<number>`-ts_rank(${sql.lit(WEIGHTS)}::real[], document, to_tsquery('english', ${p.query}), ${sql.lit(NORMALIZATION)})`.as('rank')])
            .where('company', '=', p.company)
            .where(sql<boolean>`document @@ to_tsquery('english', ${p.query})`)
            .orderBy('rank')
            .limit(p.limit)
            .as('f'),
        )
        .innerJoin('article_passages as p', 'p.id', 'f.rowid')
        .innerJoin('articles as a', 'a.id', 'p.article_id')
        .select(['p.id as passageId', 'p.article_id as articleId', 'a.title as title', 'p.heading as heading', 'p.text as text', 'f.rank as rank'])
        .where('p.company_id', '=', p.company)
        .where('a.company_id', '=', p.company)
        .where('a.status', '=', 'published')
        .orderBy('f.rank'),
    );
  }

  entry(companyId: string, passage: { title: string; heading: string; body: string }): PassageEntry {
    const fold = (text: string) => foldedWords(text).join(' ');
    return { company: companyId, title: fold(passage.title), heading: fold(passage.heading), body: fold(passage.body) };
  }

  /** Any of the words (each quoted: only letters and digits are left in them), best first. */
  async search(companyId: string, words: readonly string[], limit: number): Promise<Candidate[]> {
    const terms = [...new Set(words.flatMap((w) => foldedWords(w)))];
    if (terms.length === 0) return [];
    const query = terms.map((t) => `'${t}'`).join(' | ');
    return this.query.all({ query, company: companyId, limit });
  }
}
