import fp from 'fastify-plugin';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { WriteQueue } from '../db/write-queue.js';
import { param, prepareSqliteQuery, type Param, type PreparedSqliteQuery } from '../db/prepared.js';

/** How often new messages are indexed when nobody searches. */
const INDEX_INTERVAL_MS = 50;
/**
 * Messages indexed per write: big enough that FTS5's per-batch cost is spread thin, small enough
 * that one batch (about 5 microseconds a message) holds the event loop for half a millisecond at
 * most. At 500 a batch, the batches were the slowest turns of a chat under load.
 */
const BATCH = 100;
/** Batches a background pass indexes at most. */
const BATCHES_PER_PASS = 4;
/** Pages of FTS5 segment merging after each batch (automatic merging is off: 2026_11_25 migration). */
const MERGE_PAGES = 8;

/**
 * Keeps the full-text index (`messages_fts`) up to date in batches: messages are indexed in id
 * order behind a watermark (`search_state.indexed_up_to`, see the 2026_11_26 migration), through
 * the group commit, twenty times a second and before every search. Storing a message costs the
 * index nothing, and FTS5 writes one segment per batch instead of one per commit.
 */
export class SearchIndex {
  private readonly newest: PreparedSqliteQuery<{ last: number | null }, Record<string, never>>;
  private readonly watermark: SQLite.Statement<[], { upTo: number }>;
  private readonly batchEnd: PreparedSqliteQuery<{ last: number | null }, { from: Param<number>; limit: Param<number> }>;
  private readonly indexRange: SQLite.Statement<[number, number]>;
  private readonly advance: SQLite.Statement<[number]>;
  private readonly mergeStep: SQLite.Statement<[number]>;
  private readonly timer: NodeJS.Timeout;
  private background: Promise<unknown> | undefined;

  constructor(
    db: Kysely<Database>,
    sqlite: SQLite.Database,
    private readonly writes: WriteQueue,
    onError: (error: unknown) => void,
  ) {
    this.newest = prepareSqliteQuery(sqlite, {}, () => db.selectFrom('messages').select((eb) => eb.fn.max<number | null>('id').as('last')));
    this.batchEnd = prepareSqliteQuery(sqlite, { from: param<number>(), limit: param<number>() }, (p) =>
      db
        .selectFrom(db.selectFrom('messages').select('id').where('id', '>', p.from).orderBy('id').limit(p.limit).as('batch'))
        .select((eb) => eb.fn.max<number | null>('batch.id').as('last')),
    );
    // The watermark and the index are SQLite's FTS5 machinery (`messages_fts` is a virtual
    // table, its 'merge' command an FTS5 insert), outside the typed tables; PostgreSQL would keep a
    // tsvector column instead.
    // raw SQL: FTS5 machinery, as said above.
    this.watermark = sqlite?.prepare('SELECT indexed_up_to AS upTo FROM search_state');
    // raw SQL: FTS5 machinery, as said above.
    this.indexRange = sqlite?.prepare('INSERT INTO messages_fts (rowid, text) SELECT id, text FROM messages WHERE id > ? AND id <= ? ORDER BY id');
    // raw SQL: FTS5 machinery, as said above.
    this.advance = sqlite?.prepare('UPDATE search_state SET indexed_up_to = ?');
    // raw SQL: FTS5 machinery, as said above.
    this.mergeStep = sqlite?.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('merge', ?)");
    this.timer = setInterval(() => {
      // One background pass at a time, and a few batches per pass: after a burst the backlog is
      // worked off beside the chats (up to 8,000 messages a second), never in front of them.
      if (this.background) return;
      this.background = this.flush(BATCHES_PER_PASS)
        .catch(onError)
        .finally(() => (this.background = undefined));
    }, INDEX_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * Indexes every message stored so far (not those stored while it runs, so a search under load
   * never chases the tail), a batch per write, or only the first `maxBatches` batches; resolves
   * once that is committed.
   */
  async flush(maxBatches = Infinity): Promise<number> {
    const target = this.newest.get({})?.last ?? 0;
    if (target <= (this.watermark.get()?.upTo ?? 0)) return 0;
    let indexed = 0;
    for (let batches = 0; batches < maxBatches; batches++) {
      const batch = await this.writes.run(() => {
        const from = this.watermark.get()?.upTo ?? 0;
        const last = this.batchEnd.get({ from, limit: BATCH })?.last;
        if (last === null || last === undefined || from >= target) return { count: 0, done: true };
        const upTo = Math.min(last, target);
        const count = this.indexRange.run(from, upTo).changes;
        this.advance.run(upTo);
        // A bounded step of segment merging, instead of FTS5's occasional merge in one go.
        this.mergeStep.run(MERGE_PAGES);
        return { count, done: upTo >= target };
      });
      indexed += batch.count;
      if (batch.done) break;
    }
    return indexed;
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
    const index = new SearchIndex(app.db, app.sqlite, app.writes, (error) => app.log.error({ err: error }, 'search indexing failed'));
    app.decorate('searchIndex', index);
    app.addHook('onClose', async () => {
      index.stop();
      // What is left is indexed at the next start's first flush; try now while writes are open.
      await index.flush().catch(() => undefined);
    });
  },
  { name: 'search-index', dependencies: ['database'] },
);
