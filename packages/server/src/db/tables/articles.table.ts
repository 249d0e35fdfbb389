import type { Generated, Selectable } from 'kysely';

/** A company's help article: Markdown body, draft or published. */
export interface ArticlesTable {
  id: string;
  company_id: string;
  title: string;
  /** Markdown, shown as light HTML. */
  body: string;
  /** '' when the article has none. */
  category: string;
  status: 'draft' | 'published';
  /** Times a visitor said the article answered their question. */
  helpful_votes: Generated<number>;
  created_at: string;
  updated_at: string;
}
export type ArticleRow = Selectable<ArticlesTable>;

/** A published article cut into passages (see the migration `2026_12_04_0701_articles`). */
export interface ArticlePassagesTable {
  id: Generated<number>;
  company_id: string;
  article_id: string;
  /** 0 is the article's lead (the text before the first heading, or its first paragraph). */
  position: number;
  /** The heading the passage sits under, '' before the first one. */
  heading: string;
  /** Plain text. */
  text: string;
}
export type ArticlePassageRow = Selectable<ArticlePassagesTable>;

/**
 * The FTS5 index of published passages (a virtual table): `rowid` is the passage's id, `company`
 * a one-word token of its company (see `knowledge/store.ts`). Written with Kysely like any table;
 * searched with raw FTS5 SQL (`MATCH`, `bm25()`).
 */
export interface ArticleFtsTable {
  rowid: number;
  company: string;
  title: string;
  heading: string;
  body: string;
}
