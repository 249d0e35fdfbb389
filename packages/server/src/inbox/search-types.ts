import type { SearchHit } from '@parley/protocol';

/**
 * Full-text search over the agents' messages, the same on both databases: every typed word must
 * match, the last one also as a prefix while it is being typed (`lib/fts.ts`), best matches
 * first, only the company's own conversations (never test ones), snippets as safe HTML with the
 * hits in `<mark>`.
 *
 * Two implementations, chosen by the database: SQLite indexes messages into FTS5 in batches behind
 * a watermark (`sqlite-search.ts`); PostgreSQL keeps a GIN index on `to_tsvector('simple', text)`
 * that each write maintains, so there is nothing to index (`postgres-search.ts`).
 */
export interface SearchIndex {
  /**
   * Indexes what is stored and not yet indexed (all of it, or the first `maxBatches` batches) and
   * resolves with how many messages that was; 0 where the database indexes on write.
   */
  flush(maxBatches?: number): Promise<number>;

  /** The company's messages matching `text`, best first, at most `limit`; snippets are safe HTML. */
  search(companyId: string, text: string, limit: number): Promise<SearchHit[]>;

  /** Stops background indexing (at close). */
  stop(): void;
}
