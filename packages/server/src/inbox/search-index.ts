import fp from 'fastify-plugin';
import type { SearchHit } from '@parley/protocol';
import { PostgresSearchIndex } from './postgres-search.js';
import { SqliteSearchIndex } from './sqlite-search.js';

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

declare module 'fastify' {
  interface FastifyInstance {
    /** The message search; on SQLite `flush()` before reading `messages_fts` directly. */
    searchIndex: SearchIndex;
  }
}

export default fp(
  async (app) => {
    const database = app.database;
    const index: SearchIndex =
      database.dialect === 'sqlite'
        ? new SqliteSearchIndex(database, app.writes, (error) => app.log.error({ err: error }, 'search indexing failed'))
        : new PostgresSearchIndex(database);
    app.decorate('searchIndex', index);
    app.addHook('onClose', async () => {
      index.stop();
      // What is left is indexed at the next start's first flush; try now while writes are open.
      await index.flush().catch(() => undefined);
    });
  },
  { name: 'search-index', dependencies: ['database'] },
);
