import type { Candidate } from './types.js';

/** A passage's row of `article_fts`, as the search of the database wants it written. */
export interface PassageEntry {
  company: string;
  title: string;
  heading: string;
  body: string;
}

/**
 * The full-text search over published passages, the one part of the knowledge base that differs
 * by database: what a passage's `article_fts` row holds, and the search itself. Both rank title
 * over heading over body (6 : 3 : 1) and report `rank` as FTS5's BM25 does: negative, lower is
 * better, so `rerank` (which only uses it relative to the best candidate's) reads both the same.
 */
export interface PassageSearch {
  /** What to write in `article_fts` for a passage of a company's article. */
  entry(companyId: string, passage: { title: string; heading: string; body: string }): PassageEntry;

  /** The company's published passages matching any of `words`, best first, at most `limit`. */
  search(companyId: string, words: readonly string[], limit: number): Promise<Candidate[]>;
}
