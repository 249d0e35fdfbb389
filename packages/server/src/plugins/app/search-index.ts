import fp from 'fastify-plugin';
import type SQLite from 'better-sqlite3';
import type { GroupCommit } from '../../db/group-commit.js';

/** How often pending messages are indexed when nobody searches. */
const INDEX_INTERVAL_MS = 1000;

/**
 * Keeps the full-text index (`messages_fts`) up to date in batches: storing a message only queues
 * its id (`search_pending`, see the 2026_11_24 migration), and this indexes the queue in one
 * statement, through the group commit, once a second and before every search. FTS5 then writes
 * one segment per batch instead of one per commit, which halves the SQLite cost of a chat turn.
 */
export class SearchIndex {
  private readonly hasPending: SQLite.Statement<[], { n: number }>;
  private readonly indexPending: SQLite.Statement;
  private readonly clearPending: SQLite.Statement;
  private readonly timer: NodeJS.Timeout;

  constructor(
    sqlite: SQLite.Database,
    private readonly writes: GroupCommit,
    onError: (error: unknown) => void,
  ) {
    this.hasPending = sqlite.prepare('SELECT EXISTS (SELECT 1 FROM search_pending) AS n');
    this.indexPending = sqlite.prepare(
      'INSERT INTO messages_fts (rowid, text) SELECT m.id, m.text FROM search_pending p JOIN messages m ON m.id = p.id ORDER BY p.id',
    );
    this.clearPending = sqlite.prepare('DELETE FROM search_pending');
    this.timer = setInterval(() => this.flush().catch(onError), INDEX_INTERVAL_MS);
    this.timer.unref();
  }

  /** Indexes every message stored so far; resolves once that is committed. */
  async flush(): Promise<number> {
    if (this.hasPending.get()?.n !== 1) return 0;
    return this.writes.run(() => {
      const indexed = this.indexPending.run().changes;
      this.clearPending.run();
      return indexed;
    });
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The batched full-text indexer; `flush()` before reading `messages_fts`. */
    searchIndex: SearchIndex;
  }
}

export default fp(
  async (app) => {
    const index = new SearchIndex(app.sqlite, app.writes, (error) => app.log.error({ err: error }, 'search indexing failed'));
    app.decorate('searchIndex', index);
    app.addHook('onClose', async () => {
      index.stop();
      // What is left is indexed at the next start's first flush; try now while writes are open.
      await index.flush().catch(() => undefined);
    });
  },
  { name: 'search-index', dependencies: ['database'] },
);
