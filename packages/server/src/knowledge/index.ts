/*
 * The knowledge base: articles per company, passage search (SQLite FTS5 + re-ranking), the bot's
 * answers from articles, the articles API and the public help center. docs/knowledge.md.
 */
export { default as knowledge, KnowledgeService } from './plugin.js';
export { default as articleRoutes } from './routes.js';
export { default as helpCenterRoutes } from './help-center.js';
export { ArticleStore, MAX_ARTICLES } from './store.js';
export { Retriever, Vocabulary, DEFAULT_THRESHOLD, analyze, rerank } from './retriever.js';
export { toPassages, articleHtml, excerptOf } from './passages.js';
export { parseImport, parseMarkdownArticle, readMarkdownFolder, parseCsv } from './import.js';
export type * from './types.js';
export { importArticles, exportArticles } from './commands.js';
