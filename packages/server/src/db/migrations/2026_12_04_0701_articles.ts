import { sql, type Kysely } from 'kysely';

/**
 * Articles: a company's knowledge base and help center. `article_passages` holds the published
 * articles cut into passages (the article's lead, then one per paragraph under its heading), so an
 * answer points at the passage that matched; `article_fts` indexes them with FTS5.
 *
 * The FTS table carries the company id as its own column (weight 0 in ranking) so a search is
 * `company:"…" AND (…)`: the index itself keeps companies apart, with no scan of another company's
 * hits. `porter unicode61 remove_diacritics 2` stems English ("shipping" finds "shipped") and folds
 * accents ("remboursé" finds "rembourse"). Rowid is the passage id. Drafts are never indexed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('articles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('helpful_votes', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('articles_company_updated').on('articles').columns(['company_id', 'updated_at']).execute();
  // Covers the version check a search makes (count and latest change of the published ones).
  await db.schema.createIndex('articles_company_status_updated').on('articles').columns(['company_id', 'status', 'updated_at']).execute();
  await db.schema
    .createTable('article_passages')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('article_id', 'text', (c) => c.notNull().references('articles.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('heading', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('article_passages_article').on('article_passages').columns(['article_id', 'position']).execute();
  await sql`CREATE VIRTUAL TABLE article_fts USING fts5(
    company, title, heading, body,
    tokenize = 'porter unicode61 remove_diacritics 2',
    detail = column
  )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP TABLE IF EXISTS article_fts`.execute(db);
  await db.schema.dropTable('article_passages').execute();
  await db.schema.dropTable('articles').execute();
}
