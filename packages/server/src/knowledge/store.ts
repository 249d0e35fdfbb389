import { randomUUID } from 'node:crypto';
import type SQLite from 'better-sqlite3';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { ArticleRow } from '../db/tables/index.js';
import { Errors } from '../errors.js';
import { toPassages } from './passages.js';
import type { Article, ArticleInput, Candidate } from './types.js';

/** Articles a company may have: a large help center, bounded so an import cannot fill the disk. */
export const MAX_ARTICLES = 20_000;

function toArticle(row: ArticleRow): Article {
  return {
    id: row.id,
    companyId: row.company_id,
    title: row.title,
    body: row.body,
    category: row.category,
    status: row.status,
    helpfulVotes: row.helpful_votes,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The FTS `company` column's token for a company: its id with letters and digits only (one token). */
function companyToken(companyId: string): string {
  return `c${companyId.replace(/[^A-Za-z0-9]/g, '')}`;
}

/** A `LIKE` pattern that matches `text` literally anywhere (`%`, `_` and `\` escaped). */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The search: FTS5's best `limit` passages of a company (parameters: the MATCH expression, limit,
 * company, company), joined to their passage and article.
 */
// raw SQL: FTS5 `MATCH` and `bm25()` have no Kysely syntax (see `searchPassages`).
const SEARCH_SQL = `
  SELECT p.id AS passageId, p.article_id AS articleId, a.title AS title, p.heading AS heading, p.text AS text, f.rank AS rank
  FROM (SELECT rowid, bm25(article_fts, 0.0, 6.0, 3.0, 1.0) AS rank FROM article_fts WHERE article_fts MATCH ? ORDER BY rank LIMIT ?) f
  CROSS JOIN article_passages p ON p.id = f.rowid
  CROSS JOIN articles a ON a.id = p.article_id
  WHERE p.company_id = ? AND a.company_id = ? AND a.status = 'published'
  ORDER BY f.rank`;

/** A passage of the company's published articles, for building its vocabulary. */
export interface IndexedPassage {
  title: string;
  heading: string;
  text: string;
}

/**
 * Articles and their passages. Every query names the company: another company's article answers
 * 404 like one that does not exist. Published articles are cut into passages and indexed for
 * full-text search; drafts never are, so no search can find them.
 *
 * The search itself is SQLite FTS5 (`searchPassages`); it is the one dialect-specific part, kept
 * behind this class's interface (PostgreSQL would implement it with `tsvector` and `ts_rank`).
 */
export class ArticleStore {
  /** The search, prepared once on the raw connection (a question is asked far more often than written). */
  private readonly searchStatement: SQLite.Statement<[string, number, string, string], Candidate>;

  /** `sqlite` is the same database's raw connection: the search is prepared on it once, not built and prepared per question. */
  constructor(
    private readonly db: Kysely<Database>,
    sqlite: SQLite.Database,
  ) {
    // raw SQL: the FTS5 search above, prepared once.
    this.searchStatement = sqlite?.prepare<[string, number, string, string], Candidate>(SEARCH_SQL) as SQLite.Statement<[string, number, string, string], Candidate>;
  }

  /** The company's articles, newest change first; `q` matches titles and bodies (drafts included). */
  async list(companyId: string, filter: { q?: string | undefined; category?: string | undefined; status?: Article['status'] | undefined } = {}): Promise<Article[]> {
    let query = this.db.selectFrom('articles').selectAll().where('company_id', '=', companyId);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.category !== undefined) query = query.where('category', '=', filter.category);
    const q = filter.q?.trim();
    if (q) query = query.where((eb) => eb.or([sql<boolean>`title LIKE ${containing(q)} ESCAPE '\\'`, sql<boolean>`body LIKE ${containing(q)} ESCAPE '\\'`]));
    const rows = await query.orderBy('updated_at', 'desc').orderBy('id').limit(MAX_ARTICLES).execute();
    return rows.map(toArticle);
  }

  /** Every category in use by the company's articles, sorted. */
  async categories(companyId: string, publishedOnly = false): Promise<string[]> {
    let query = this.db.selectFrom('articles').select('category').distinct().where('company_id', '=', companyId).where('category', '!=', '');
    if (publishedOnly) query = query.where('status', '=', 'published');
    const rows = await query.orderBy('category').execute();
    return rows.map((r) => r.category);
  }

  /** One article of the company; 404 for another company's or a missing one. */
  async get(companyId: string, id: string): Promise<Article> {
    const row = await this.db.selectFrom('articles').selectAll().where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
    if (!row) throw Errors.notFound('Article not found');
    return toArticle(row);
  }

  /** One published article, or undefined (drafts and other companies' articles are not found). */
  async published(companyId: string, id: string): Promise<Article | undefined> {
    const row = await this.db
      .selectFrom('articles')
      .selectAll()
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .where('status', '=', 'published')
      .executeTakeFirst();
    return row ? toArticle(row) : undefined;
  }

  /** Adds articles in one write; 409 when the company would have more than `MAX_ARTICLES`. */
  async create(companyId: string, inputs: ArticleInput[]): Promise<Article[]> {
    return this.db.transaction().execute(async (trx) => {
      const { n } = await trx
        .selectFrom('articles')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('company_id', '=', companyId)
        .executeTakeFirstOrThrow();
      if (n + inputs.length > MAX_ARTICLES) throw Errors.conflict(`A company can have at most ${MAX_ARTICLES} articles`);
      const now = new Date().toISOString();
      const created: Article[] = [];
      for (const input of inputs) {
        const row: ArticleRow = {
          id: randomUUID(),
          company_id: companyId,
          title: input.title.trim(),
          body: input.body,
          category: (input.category ?? '').trim(),
          status: input.status,
          helpful_votes: 0,
          created_at: now,
          updated_at: now,
        };
        await trx.insertInto('articles').values(row).execute();
        if (row.status === 'published') await this.index(trx, row);
        created.push(toArticle(row));
      }
      return created;
    });
  }

  /** Changes an article; fields left out keep their value. Re-indexes it (or drops it from the index when a draft). */
  async update(companyId: string, id: string, patch: Partial<ArticleInput>): Promise<Article> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('articles')
        .set({
          ...(patch.title !== undefined ? { title: patch.title.trim() } : {}),
          ...(patch.body !== undefined ? { body: patch.body } : {}),
          ...(patch.category !== undefined ? { category: patch.category.trim() } : {}),
          ...(patch.status !== undefined ? { status: patch.status } : {}),
          updated_at: new Date().toISOString(),
        })
        .where('id', '=', id)
        .where('company_id', '=', companyId)
        .returningAll()
        .executeTakeFirst();
      if (!row) throw Errors.notFound('Article not found');
      await this.unindex(trx, row.id);
      if (row.status === 'published') await this.index(trx, row);
      return toArticle(row);
    });
  }

  /** Removes an article and its passages; 404 for another company's. */
  async remove(companyId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('articles').select('id').where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
      if (!row) throw Errors.notFound('Article not found');
      await this.unindex(trx, id);
      await trx.deleteFrom('articles').where('id', '=', id).execute();
    });
  }

  /** Counts a "that answered my question" for a published article of the company. */
  async helpful(companyId: string, id: string): Promise<void> {
    await this.db
      .updateTable('articles')
      .set((eb) => ({ helpful_votes: eb('helpful_votes', '+', 1) }))
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .where('status', '=', 'published')
      .execute();
  }

  /**
   * What changes when any of the company's published articles does: their number and latest
   * change. A cache of derived data (the search vocabulary) compares it to know it is stale, even
   * when another process wrote.
   */
  async publishedVersion(companyId: string): Promise<string> {
    const row = await this.db
      .selectFrom('articles')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('latest')])
      .where('company_id', '=', companyId)
      .where('status', '=', 'published')
      .executeTakeFirstOrThrow();
    return `${row.n}/${row.latest ?? ''}`;
  }

  /** The companies that have at least one published article. */
  async companiesWithPublished(): Promise<string[]> {
    const rows = await this.db.selectFrom('articles').select('company_id').distinct().where('status', '=', 'published').execute();
    return rows.map((r) => r.company_id);
  }

  /** Every passage of the company's published articles, for its search vocabulary. */
  async passages(companyId: string): Promise<IndexedPassage[]> {
    return this.db
      .selectFrom('article_passages as p')
      .innerJoin('articles as a', 'a.id', 'p.article_id')
      .select(['a.title', 'p.heading', 'p.text'])
      .where('p.company_id', '=', companyId)
      .where('a.company_id', '=', companyId)
      .where('a.status', '=', 'published')
      .execute();
  }

  /**
   * The company's published passages matching any of `words`, best first by BM25 (title 6,
   * heading 3, body 1; the company column 0). Raw FTS5 SQL: Kysely has no syntax for `MATCH`,
   * `bm25()` or column filters, and PostgreSQL's equivalent (`@@`, `ts_rank`) differs anyway.
   * Every word is quoted, so nothing typed is query syntax; the `company:` filter runs inside the
   * index, and the join checks the company and the status again. Synchronous underneath (a
   * statement prepared once on the raw connection), async like the rest of the store.
   */
  async searchPassages(companyId: string, words: readonly string[], limit: number): Promise<Candidate[]> {
    if (words.length === 0) return [];
    const match = `company:${companyToken(companyId)} AND (${words.map((w) => `"${w.replace(/"/g, '')}"`).join(' OR ')})`;
    // The index ranks and cuts first (its own top `limit`), then the few rows are joined. CROSS
    // JOIN fixes that order: left to itself, SQLite's planner starts from the company's articles
    // (an index on company and status) and looks each passage up in the FTS result, which at
    // 10,000 articles made a search take 20 ms instead of 2.
    return this.searchStatement.all(match, limit, companyId, companyId);
  }

  /** Cuts a published article into passages and indexes them. */
  private async index(trx: Transaction<Database>, row: ArticleRow): Promise<void> {
    const passages = toPassages(row.body);
    if (passages.length === 0) passages.push({ position: 0, heading: '', text: '' });
    const token = companyToken(row.company_id);
    for (const passage of passages) {
      const { id } = await trx
        .insertInto('article_passages')
        .values({ company_id: row.company_id, article_id: row.id, position: passage.position, heading: passage.heading, text: passage.text })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('article_fts').values({ rowid: id, company: token, title: row.title, heading: passage.heading, body: passage.text }).execute();
    }
  }

  /** Removes an article's passages from the index and the passage table. */
  private async unindex(trx: Transaction<Database>, articleId: string): Promise<void> {
    await trx
      .deleteFrom('article_fts')
      .where('rowid', 'in', (eb) => eb.selectFrom('article_passages').select('id').where('article_id', '=', articleId))
      .execute();
    await trx.deleteFrom('article_passages').where('article_id', '=', articleId).execute();
  }
}
