import fp from 'fastify-plugin';
import type SQLite from 'better-sqlite3';
import type { GroupCommit } from '../../db/group-commit.js';

/** How often pending messages are indexed when nobody searches. */
const INDEX_INTERVAL_MS = 200;
/**
 * Messages indexed per write: big enough that FTS5's per-batch cost is spread thin, small enough
 * that one batch (about 4 microseconds a message) never stalls the event loop for long.
 */
const BATCH = 500;
/** Pages of FTS5 segment merging after each batch (automatic merging is off: 2026_11_25 migration). */
const MERGE_PAGES = 32;

/**
 * Keeps the full-text index (`messages_fts`) up to date in batches: storing a message only queues
 * its id (`search_pending`, see the 2026_11_24 migration), and this indexes the queue in batches,
 * through the group commit, five times a second and before every search. FTS5 then writes one
 * segment per batch instead of one per commit, which halves the SQLite cost of a chat turn.
 */
export class SearchIndex {
  private readonly lastPending: SQLite.Statement<[], { last: number | null }>;
  private readonly nextBatch: SQLite.Statement<[number], { last: number | null }>;
  private readonly indexPending: SQLite.Statement;
  private readonly clearPending: SQLite.Statement;
  private readonly mergeStep: SQLite.Statement<[number]>;
  private readonly timer: NodeJS.Timeout;

  constructor(
    sqlite: SQLite.Database,
    private readonly writes: GroupCommit,
    onError: (error: unknown) => void,
  ) {
    this.lastPending = sqlite.prepare('SELECT max(id) AS last FROM search_pending');
    this.nextBatch = sqlite.prepare<[number], { last: number | null }>(
      'SELECT max(id) AS last FROM (SELECT id FROM search_pending ORDER BY id LIMIT ?)',
    );
    this.indexPending = sqlite.prepare(
      'INSERT INTO messages_fts (rowid, text) SELECT m.id, m.text FROM search_pending p JOIN messages m ON m.id = p.id WHERE p.id <= ? ORDER BY p.id',
    );
    this.clearPending = sqlite.prepare('DELETE FROM search_pending WHERE id <= ?');
    this.mergeStep = sqlite.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('merge', ?)");
    this.timer = setInterval(() => this.flush().catch(onError), INDEX_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Indexes every message stored so far (not those stored while it runs, so a search under load
   * never chases the tail), a batch per write; resolves once all of it is committed.
   */
  async flush(): Promise<number> {
    const target = this.lastPending.get()?.last;
    if (target === null || target === undefined) return 0;
    let indexed = 0;
    for (;;) {
      const batch = await this.writes.run(() => {
        const last = this.nextBatch.get(BATCH)?.last;
        if (last === null || last === undefined) return { count: 0, done: true };
        const upTo = Math.min(last, target);
        const count = this.indexPending.run(upTo).changes;
        this.clearPending.run(upTo);
        // A bounded step of segment merging, instead of FTS5's occasional merge in one go.
        this.mergeStep.run(MERGE_PAGES);
        return { count, done: upTo === target };
      });
      indexed += batch.count;
      if (batch.done) return indexed;
    }
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
