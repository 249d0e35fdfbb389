import type { ArticleStatus } from '@parley/protocol';

/** An article as the app uses it. */
export interface Article {
  id: string;
  companyId: string;
  title: string;
  /** Markdown. */
  body: string;
  category: string;
  status: ArticleStatus;
  helpfulVotes: number;
  createdAt: string;
  updatedAt: string;
}

/** What a write sets on an article. */
export interface ArticleInput {
  title: string;
  body: string;
  category?: string | undefined;
  status: ArticleStatus;
}

/** A passage the full-text index found for a query, with its rank (lower is better). */
export interface Candidate {
  passageId: number;
  articleId: string;
  title: string;
  heading: string;
  text: string;
  /** BM25 as SQLite reports it (on PostgreSQL `-ts_rank`): negative, lower is a better match. */
  rank: number;
}

export type { KnowledgeHit, KnowledgeHooks } from '../conversations/chat-types.js';
