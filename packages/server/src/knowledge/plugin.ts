import fp from 'fastify-plugin';
import type { ArticleView } from '@parley/protocol';
import type { CompanyRepository } from '../companies/companies.js';
import { articleHtml } from './passages.js';
import { DEFAULT_THRESHOLD, Retriever } from './retriever.js';
import { ArticleStore } from './store.js';
import type { Article, ArticleInput, KnowledgeHit, KnowledgeHooks } from './types.js';

/**
 * The knowledge base: a company's articles (written by admins, imported, exported), the search
 * the bot answers from, and what the help center shows. Writes go through here so the search
 * vocabulary of the company is rebuilt on its next question.
 */
export class KnowledgeService implements KnowledgeHooks {
  readonly store: ArticleStore;
  readonly retriever: Retriever;
  /** Companies with at least one published article, refreshed on every write (and at start). */
  private readonly withArticles = new Set<string>();

  constructor(
    store: ArticleStore,
    private readonly companies: CompanyRepository,
    private readonly defaultThreshold: number = DEFAULT_THRESHOLD,
  ) {
    this.store = store;
    this.retriever = new Retriever(store);
  }

  /** Learns which companies have published articles. */
  async load(): Promise<void> {
    for (const id of await this.store.companiesWithPublished()) this.withArticles.add(id);
  }

  /** The article as the API shows it. */
  view(article: Article): ArticleView {
    return {
      id: article.id,
      title: article.title,
      body: article.body,
      html: articleHtml(article.body),
      category: article.category,
      status: article.status,
      url: this.urlOf(article.companyId, article.id),
      helpful_votes: article.helpfulVotes,
      created_at: article.createdAt,
      updated_at: article.updatedAt,
    };
  }

  async create(companyId: string, inputs: ArticleInput[]): Promise<Article[]> {
    const created = await this.store.create(companyId, inputs);
    await this.changed(companyId);
    return created;
  }

  async update(companyId: string, id: string, patch: Partial<ArticleInput>): Promise<Article> {
    const article = await this.store.update(companyId, id, patch);
    await this.changed(companyId);
    return article;
  }

  async remove(companyId: string, id: string): Promise<void> {
    await this.store.remove(companyId, id);
    await this.changed(companyId);
  }

  search(companyId: string, question: string, limit = 3): Promise<KnowledgeHit[]> {
    if (!this.withArticles.has(companyId)) return Promise.resolve([]);
    return this.retriever.search(companyId, question, limit);
  }

  threshold(companyId: string): number {
    const setting = this.companies.byIdOrUndefined(companyId)?.settings.knowledge_threshold;
    return typeof setting === 'number' && setting >= 0 && setting <= 1 ? setting : this.defaultThreshold;
  }

  hasArticles(companyId: string): boolean {
    return this.withArticles.has(companyId);
  }

  urlOf(companyId: string, articleId: string): string {
    const company = this.companies.byIdOrUndefined(companyId);
    return company?.isDefault ? `/help/articles/${articleId}` : `/help/${company?.siteKey ?? '_'}/articles/${articleId}`;
  }

  helpful(companyId: string, articleId: string): Promise<void> {
    return this.store.helpful(companyId, articleId);
  }

  private async changed(companyId: string): Promise<void> {
    this.retriever.invalidate(companyId);
    if ((await this.store.publishedVersion(companyId)).startsWith('0/')) this.withArticles.delete(companyId);
    else this.withArticles.add(companyId);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The companies' articles and the search over them. */
    knowledge: KnowledgeService;
  }
}

export default fp(
  async (app) => {
    const knowledge = new KnowledgeService(new ArticleStore(app.database), app.companies, app.config.knowledgeThreshold);
    await knowledge.load();
    app.externalChanges.onChange(() => knowledge.load());
    app.decorate('knowledge', knowledge);
  },
  { name: 'knowledge', dependencies: ['database', 'companies'] },
);
