import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';

/*
 * Articles: a company's knowledge base. Admins write them (Markdown), the bot answers visitors
 * from the published ones, and the public help center shows them. docs/knowledge.md lists the routes.
 */

/** Draft articles are seen by the company's agents only; published ones by the bot and the help center. */
export const ArticleStatus = Type.Union([Type.Literal('draft'), Type.Literal('published')]);
export type ArticleStatus = Static<typeof ArticleStatus>;

/** An article's title: one line of plain text. */
export const ArticleTitle = Type.String({ minLength: 1, maxLength: 200 });
/** An article's body: Markdown (paragraphs, `#` headings, lists, bold, italics, links). */
export const ArticleBody = Type.String({ maxLength: 100_000 });
/** A category to group articles by in the help center ('' for none). */
export const ArticleCategory = Type.String({ maxLength: 80 });

/** An article as the API shows it. `html` is the body rendered onto the light-HTML allowlist. */
export const ArticleView = Strict({
  id: Type.String(),
  title: Type.String(),
  body: Type.String(),
  html: Type.String(),
  category: Type.String(),
  status: ArticleStatus,
  /** The public help-center page (a path on the Parley server). */
  url: Type.String(),
  helpful_votes: Type.Integer(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type ArticleView = Static<typeof ArticleView>;

/** `GET /api/articles` query: `q` searches titles and bodies, drafts included. */
export const ArticleListQuery = Strict({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  category: Type.Optional(ArticleCategory),
  status: Type.Optional(ArticleStatus),
});
export type ArticleListQuery = Static<typeof ArticleListQuery>;

/** `GET /api/articles`: the company's articles, newest change first, with every category in use. */
export const ArticleList = Strict({ articles: Type.Array(ArticleView), categories: Type.Array(Type.String()) });
export type ArticleList = Static<typeof ArticleList>;

/** `POST /api/articles` (admin). */
export const CreateArticleRequest = Strict({
  title: ArticleTitle,
  body: ArticleBody,
  category: Type.Optional(ArticleCategory),
  status: ArticleStatus,
});
export type CreateArticleRequest = Static<typeof CreateArticleRequest>;

/** `PUT /api/articles/:id` (admin): fields left out keep their value. */
export const UpdateArticleRequest = Strict({
  title: Type.Optional(ArticleTitle),
  body: Type.Optional(ArticleBody),
  category: Type.Optional(ArticleCategory),
  status: Type.Optional(ArticleStatus),
});
export type UpdateArticleRequest = Static<typeof UpdateArticleRequest>;

/** The answer of `POST`, `GET /:id` and `PUT`. */
export const ArticleResponse = Strict({ article: ArticleView });
export type ArticleResponse = Static<typeof ArticleResponse>;

/** One article of an import or export file (JSON array items, or CSV columns of the same names). */
export const ArticleImportItem = Strict({
  title: ArticleTitle,
  body: ArticleBody,
  category: Type.Optional(ArticleCategory),
  status: Type.Optional(ArticleStatus),
});
export type ArticleImportItem = Static<typeof ArticleImportItem>;

/** `GET /api/articles/export`: every article of the company, importable as is. */
export const ArticleExport = Strict({ articles: Type.Array(ArticleImportItem) });
export type ArticleExport = Static<typeof ArticleExport>;

/** `POST /api/articles/import` (admin, multipart file `.json` or `.csv`): how many were added. */
export const ArticleImportResponse = Strict({ imported: Type.Integer(), articles: Type.Array(Strict({ id: Type.String(), title: Type.String() })) });
export type ArticleImportResponse = Static<typeof ArticleImportResponse>;

/** `POST /api/articles/preview` (admin): a body rendered as the help center and the API show it. */
export const ArticlePreviewRequest = Strict({ body: ArticleBody });
export type ArticlePreviewRequest = Static<typeof ArticlePreviewRequest>;
export const ArticlePreviewResponse = Strict({ html: Type.String() });
export type ArticlePreviewResponse = Static<typeof ArticlePreviewResponse>;

/** `GET /api/articles/search?q=` (agents): what the bot would answer, with its confidence. */
export const ArticleSearchQuery = Strict({ q: Type.String({ minLength: 1, maxLength: 500 }) });
export type ArticleSearchQuery = Static<typeof ArticleSearchQuery>;

/** One hit of a knowledge search: the article, the passage that matched, and a 0..1 confidence. */
export const ArticleHit = Strict({
  article_id: Type.String(),
  title: Type.String(),
  heading: Type.String(),
  excerpt: Type.String(),
  url: Type.String(),
  score: Type.Number(),
});
export type ArticleHit = Static<typeof ArticleHit>;

/** The answer of `GET /api/articles/search`: best first; `answered` says whether the bot would answer. */
export const ArticleSearchResponse = Strict({ hits: Type.Array(ArticleHit), answered: Type.Boolean(), threshold: Type.Number() });
export type ArticleSearchResponse = Static<typeof ArticleSearchResponse>;
