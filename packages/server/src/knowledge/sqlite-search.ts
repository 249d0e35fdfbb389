import type SQLite from 'better-sqlite3';
import type { DatabaseHandle } from '../db/handle.js';
import type { PassageEntry, PassageSearch } from './passage-search.js';
import type { Candidate } from './types.js';

/** The FTS `company` column's token for a company: its id with letters and digits only (one token). */
function companyToken(companyId: string): string {
  return `c${companyId.replace(/[^A-Za-z0-9]/g, '')}`;
}

/**
 * The search: FTS5's best `limit` passages of a company (parameters: the MATCH expression, limit,
 * company, company), joined to their passage and article.
 */
// raw SQL: FTS5 `MATCH` and `bm25()` have no Kysely syntax (see `search`).
const SEARCH_SQL = `
  SELECT p.id AS passageId, p.article_id AS articleId, a.title AS title, p.heading AS heading, p.text AS text, f.rank AS rank
  FROM (SELECT rowid, bm25(article_fts, 0.0, 6.0, 3.0, 1.0) AS rank FROM article_fts WHERE article_fts MATCH ? ORDER BY rank LIMIT ?) f
  CROSS JOIN article_passages p ON p.id = f.rowid
  CROSS JOIN articles a ON a.id = p.article_id
  WHERE p.company_id = ? AND a.company_id = ? AND a.status = 'published'
  ORDER BY f.rank`;

/**
 * SQLite's passage search: FTS5 (`porter unicode61 remove_diacritics 2`, 2026_12_04_0701). The
 * FTS table carries the company as a token column (weight 0 in ranking), so a search is
 * `company:"…" AND (…)`: the index itself keeps companies apart.
 */
export class SqlitePassageSearch implements PassageSearch {
  /** The search, prepared once on the raw connection (a question is asked far more often than written). */
  private readonly statement: SQLite.Statement<[string, number, string, string], Candidate>;

  constructor(database: DatabaseHandle & { dialect: 'sqlite' }) {
    // raw SQL: the FTS5 search above, prepared once.
    this.statement = database.sqlite.prepare<[string, number, string, string], Candidate>(SEARCH_SQL);
  }

  entry(companyId: string, passage: { title: string; heading: string; body: string }): PassageEntry {
    return { company: companyToken(companyId), title: passage.title, heading: passage.heading, body: passage.body };
  }

  /**
   * BM25 with title 6, heading 3, body 1 (the company column 0). Every word is quoted, so nothing
   * typed is query syntax; the `company:` filter runs inside the index, and the join checks the
   * company and the status again. Synchronous underneath, async like the rest of the store.
   */
  async search(companyId: string, words: readonly string[], limit: number): Promise<Candidate[]> {
    if (words.length === 0) return [];
    const match = `company:${companyToken(companyId)} AND (${words.map((w) => `"${w.replace(/"/g, '')}"`).join(' OR ')})`;
    // The index ranks and cuts first (its own top `limit`), then the few rows are joined. CROSS
    // JOIN fixes that order: left to itself, SQLite's planner starts from the company's articles
    // (an index on company and status) and looks each passage up in the FTS result, which at
    // 10,000 articles made a search take 20 ms instead of 2.
    return this.statement.all(match, limit, companyId, companyId);
  }
}
