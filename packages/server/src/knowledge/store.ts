import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { Database } from '../db/database.js';
import type { DatabaseHandle } from '../db/handle.js';
import type { ArticleRow } from '../db/tables/index.js';
import { Errors } from '../errors.js';
import { toPassages } from './passages.js';
import { passageSearch, type PassageSearch } from './search.js';
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

/** A `LIKE` pattern that matches `text` literally anywhere (`%`, `_` and `\` escaped). */
function containing(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * `column` contains `text`, ignoring case: SQLite's `LIKE` ignores ASCII case, PostgreSQL's does
 * not (its `ILIKE` does).
 */
function contains(dialect: DatabaseHandle['dialect'], column: 'title' | 'body', text: string): RawBuilder<boolean> {
  return sql<boolean>`${sql.ref(column)} ${sql.raw(dialect === 'postgres' ? 'ILIKE' : 'LIKE')} ${containing(text)} ESCAPE '\\'`;
}

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
 * The search itself is the one dialect-specific part (`search.ts`): FTS5 on SQLite, a weighted
 * `tsvector` and `ts_rank` on PostgreSQL, behind `searchPassages`.
 */
export class ArticleStore {
  private readonly db: Kysely<Database>;
  private readonly dialect: DatabaseHandle['dialect'];
  private readonly search: PassageSearch;

  constructor(database: DatabaseHandle) {
    this.db = database.db;
    this.dialect = database.dialect;
    this.search = passageSearch(database);
  }

  /** The company's articles, newest change first; `q` matches titles and bodies (drafts included). */
  async list(companyId: string, filter: { q?: string | undefined; category?: string | undefined; status?: Article['status'] | undefined } = {}): Promise<Article[]> {
    let query = this.db.selectFrom('articles').selectAll().where('company_id', '=', companyId);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.category !== undefined) query = query.where('category', '=', filter.category);
    const q = filter.q?.trim();
    if (q) query = query.where((eb) => eb.or([contains(this.dialect, 'title', q), contains(this.dialect, 'body', q)]));
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

  /** The company's published passages matching any of `words`, best first by rank (title over heading over body). */
  searchPassages(companyId: string, words: readonly string[], limit: number): Promise<Candidate[]> {
    return this.search.search(companyId, words, limit);
  }

  /** Cuts a published article into passages and indexes them. */
  private async index(trx: Transaction<Database>, row: ArticleRow): Promise<void> {
    const passages = toPassages(row.body);
    if (passages.length === 0) passages.push({ position: 0, heading: '', text: '' });
    for (const passage of passages) {
      const { id } = await trx
        .insertInto('article_passages')
        .values({ company_id: row.company_id, article_id: row.id, position: passage.position, heading: passage.heading, text: passage.text })
        .returning('id')
        .executeTakeFirstOrThrow();
      const entry = this.search.entry(row.company_id, { title: row.title, heading: passage.heading, body: passage.text });
      await trx.insertInto('article_fts').values({ rowid: id, ...entry }).execute();
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
