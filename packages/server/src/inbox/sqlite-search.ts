import type SQLite from 'better-sqlite3';
import type { MessageRole, SearchHit } from '@parley/protocol';
import type { DatabaseHandle } from '../db/handle.js';
import type { WriteQueue } from '../db/write-queue.js';
import type { Work } from '../db/step.js';
import { param, prepareQuery, type Param, type PreparedQuery } from '../db/prepared.js';
import { HIT_CLOSE, HIT_OPEN, snippetToHtml, toFtsQuery } from '../lib/fts.js';
import type { SearchIndex } from './search-types.js';

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

interface HitRow {
  conversation_id: string;
  seq: number;
  role: string;
  created_at: string;
  snippet: string;
}

/**
 * SQLite's message search. Keeps the full-text index (`messages_fts`) up to date in batches:
 * messages are indexed in id order behind a watermark (`search_state.indexed_up_to`, see the
 * 2026_11_26 migration), through the group commit, twenty times a second and before every search.
 * Storing a message costs the index nothing, and FTS5 writes one segment per batch instead of one
 * per commit.
 */
export class SqliteSearchIndex implements SearchIndex {
  private readonly newest: PreparedQuery<{ last: number | null }, Record<string, never>>;
  private readonly batchEnd: PreparedQuery<{ last: number | null }, { from: Param<number>; limit: Param<number> }>;
  private readonly watermark: SQLite.Statement<[], { upTo: number }>;
  private readonly indexRange: SQLite.Statement<[number, number]>;
  private readonly advance: SQLite.Statement<[number]>;
  private readonly mergeStep: SQLite.Statement<[number]>;
  private readonly query: SQLite.Statement<[string, string, string, string, number], HitRow>;
  private readonly timer: NodeJS.Timeout;
  private background: Promise<unknown> | undefined;

  constructor(
    database: DatabaseHandle & { dialect: 'sqlite' },
    private readonly writes: WriteQueue,
    onError: (error: unknown) => void,
  ) {
    const { db, sqlite } = database;
    this.newest = prepareQuery(database, {}, () => db.selectFrom('messages').select((eb) => eb.fn.max<number | null>('id').as('last')));
    this.batchEnd = prepareQuery(database, { from: param<number>(), limit: param<number>() }, (p) =>
      db
        .selectFrom(db.selectFrom('messages').select('id').where('id', '>', p.from).orderBy('id').limit(p.limit).as('batch'))
        .select((eb) => eb.fn.max<number | null>('batch.id').as('last')),
    );
    // The watermark and the index are SQLite's FTS5 machinery (`messages_fts` is a virtual
    // table, its 'merge' command an FTS5 insert), outside the typed tables; PostgreSQL has a GIN
    // index on the messages instead (`postgres-search.ts`).
    // raw SQL: FTS5 machinery, as said above.
    this.watermark = sqlite.prepare('SELECT indexed_up_to AS upTo FROM search_state');
    // raw SQL: FTS5 machinery, as said above.
    this.indexRange = sqlite.prepare('INSERT INTO messages_fts (rowid, text) SELECT id, text FROM messages WHERE id > ? AND id <= ? ORDER BY id');
    // raw SQL: FTS5 machinery, as said above.
    this.advance = sqlite.prepare('UPDATE search_state SET indexed_up_to = ?');
    // raw SQL: FTS5 machinery, as said above.
    this.mergeStep = sqlite.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('merge', ?)");
    // raw SQL: FTS5 `MATCH`, `snippet()` and `rank` have no Kysely syntax.
    this.query = sqlite.prepare(`
      SELECT m.conversation_id, m.seq, m.role, m.created_at,
             snippet(messages_fts, 0, ?, ?, '…', 12) AS snippet
      FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
      JOIN conversations c ON c.id = m.conversation_id AND c.company_id = m.company_id
      WHERE messages_fts MATCH ? AND m.company_id = ? AND c.is_test = 0
      ORDER BY rank LIMIT ?`);
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
    const target = (await this.newest.get({}))?.last ?? 0;
    if (target <= (this.watermark.get()?.upTo ?? 0)) return 0;
    let indexed = 0;
    for (let batches = 0; batches < maxBatches; batches++) {
      const batch = await this.writes.run(() => this.indexBatch(target));
      indexed += batch.count;
      if (batch.done) break;
    }
    return indexed;
  }

  /** One batch: the next messages behind the watermark, up to `target`. */
  private *indexBatch(target: number): Work<{ count: number; done: boolean }> {
    const from = this.watermark.get()?.upTo ?? 0;
    const last = (yield* this.batchEnd.get({ from, limit: BATCH }))?.last;
    if (last === null || last === undefined || from >= target) return { count: 0, done: true };
    const upTo = Math.min(last, target);
    const count = this.indexRange.run(from, upTo).changes;
    this.advance.run(upTo);
    // A bounded step of segment merging, instead of FTS5's occasional merge in one go.
    this.mergeStep.run(MERGE_PAGES);
    return { count, done: upTo >= target };
  }

  async search(companyId: string, text: string, limit: number): Promise<SearchHit[]> {
    await this.flush();
    const match = toFtsQuery(text);
    if (!match) return [];
    return this.query.all(HIT_OPEN, HIT_CLOSE, match, companyId, limit).map((r) => ({
      conversation_id: r.conversation_id,
      seq: r.seq,
      role: r.role as MessageRole,
      snippet: snippetToHtml(r.snippet),
      created_at: r.created_at,
    }));
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
