import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { sanitizeLightHtml, type ArticleList, type ArticleStatus, type ArticleView } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { TaskController } from '../../controllers/task-controller.js';
import { ago } from '../../lib/format.js';
import { saveFile } from '../../lib/save-file.js';
import { controls, screen, row } from '../../styles/shared.js';
import { styles } from './articles-view.styles.js';

/** What the editor holds: a new article (no id) or a copy of one being changed. */
interface Draft {
  id?: string;
  title: string;
  body: string;
  category: string;
  status: ArticleStatus;
}

const EMPTY: Draft = { title: '', body: '', category: '', status: 'draft' };

/**
 * Articles (admins): the company's knowledge base. A list with search and a category filter, an
 * editor (Markdown) with a preview rendered by the server exactly as the help center shows it,
 * publish / unpublish, removal, import of a JSON or CSV file and export. Published articles are
 * what the bot answers from and what the public help center shows.
 *
 * @csspart header - the title and the import/export actions
 * @csspart filters - search box and category filter
 * @csspart list - the articles
 * @csspart editor - the editor form
 * @csspart preview - the rendered body
 */
export class ParleyArticlesView extends LitElement {
  static override styles = [controls, screen, row, styles];
  static override properties = {
    api: { attribute: false },
    query: { state: true },
    category: { state: true },
    draft: { state: true },
    preview: { state: true },
    message: { state: true },
    failure: { state: true },
    busy: { state: true },
  };

  declare api: ApiClient | undefined;
  declare private query: string;
  declare private category: string;
  /** The article in the editor; undefined while the editor is closed. */
  declare private draft: Draft | undefined;
  declare private preview: string;
  declare private message: string;
  declare private failure: string;
  declare private busy: boolean;
  private previewTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly task = new TaskController<ArticleList>(this, () =>
    this.api!.articles({ ...(this.query.trim() ? { q: this.query.trim() } : {}), ...(this.category ? { category: this.category } : {}) }),
  );

  constructor() {
    super();
    this.query = '';
    this.category = '';
    this.preview = '';
    this.message = '';
    this.failure = '';
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.task.reload();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.previewTimer);
  }

  private async act(work: () => Promise<string | void>): Promise<void> {
    this.message = this.failure = '';
    this.busy = true;
    try {
      this.message = (await work()) ?? '';
      await this.task.reload();
    } catch (error) {
      this.failure = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  private open(article?: ArticleView): void {
    this.draft = article ? { id: article.id, title: article.title, body: article.body, category: article.category, status: article.status } : { ...EMPTY };
    this.preview = article?.html ?? '';
  }

  private edit(changes: Partial<Draft>): void {
    this.draft = { ...this.draft!, ...changes };
    if (changes.body === undefined) return;
    clearTimeout(this.previewTimer);
    const body = changes.body;
    this.previewTimer = setTimeout(() => {
      this.api!.previewArticle(body).then(
        ({ html: rendered }) => (this.preview = rendered),
        () => undefined,
      );
    }, 250);
  }

  private save(event: SubmitEvent): void {
    event.preventDefault();
    const { id, ...fields } = this.draft!;
    void this.act(async () => {
      const { article } = id ? await this.api!.updateArticle(id, fields) : await this.api!.createArticle(fields);
      this.open(article);
      return article.status === 'published' ? 'Saved and published.' : 'Saved as a draft.';
    });
  }

  private removeArticle(): void {
    const { id, title } = this.draft!;
    if (!id || !confirm(`Delete “${title}”? The bot stops answering with it and its help-center page goes away.`)) return;
    void this.act(async () => {
      await this.api!.deleteArticle(id);
      this.draft = undefined;
      return 'Article deleted.';
    });
  }

  private import(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    void this.act(async () => {
      const { imported } = await this.api!.importArticles(file, file.name);
      input.value = '';
      return `Imported ${imported} article${imported === 1 ? '' : 's'}.`;
    });
  }

  private export(): void {
    void this.act(async () => {
      saveFile(JSON.stringify(await this.api!.exportArticles(), null, 2), 'application/json', 'articles.json');
    });
  }

  private renderEditor(draft: Draft, categories: string[]): TemplateResult {
    return html`<form part="editor" class="card editor" @submit=${this.save}>
      <h2>${draft.id ? 'Edit article' : 'New article'}</h2>
      <label>Title <input name="title" required maxlength="200" .value=${draft.title} @input=${(e: Event) => this.edit({ title: (e.target as HTMLInputElement).value })} /></label>
      <label
        >Category
        <input name="category" maxlength="80" list="categories" .value=${draft.category} @input=${(e: Event) => this.edit({ category: (e.target as HTMLInputElement).value })} />
        <datalist id="categories">${categories.map((c) => html`<option value=${c}></option>`)}</datalist>
      </label>
      <div class="split">
        <label
          >Body (Markdown)
          <textarea name="body" rows="14" maxlength="100000" .value=${draft.body} @input=${(e: Event) => this.edit({ body: (e.target as HTMLTextAreaElement).value })}></textarea>
        </label>
        <div part="preview" class="preview" aria-label="Preview">
          <h3>${draft.title || 'Preview'}</h3>
          ${unsafeHTML(sanitizeLightHtml(this.preview))}
        </div>
      </div>
      <p class="muted">Paragraphs, <code>## Heading</code>, lists, <code>**bold**</code>, <code>[links](https://…)</code>. Each paragraph is a passage the bot can answer with.</p>
      <label class="check"><input type="checkbox" name="published" .checked=${draft.status === 'published'} @change=${(e: Event) => this.edit({ status: (e.target as HTMLInputElement).checked ? 'published' : 'draft' })} /> Published (the bot answers with it; the help center shows it)</label>
      <div class="row">
        <button class="primary" type="submit" ?disabled=${this.busy}>Save</button>
        <button type="button" @click=${() => (this.draft = undefined)}>Close</button>
        ${draft.id ? html`<button class="danger" type="button" data-action="delete" ?disabled=${this.busy} @click=${this.removeArticle}>Delete</button>` : nothing}
      </div>
    </form>`;
  }

  override render(): TemplateResult {
    const list = this.task.value;
    const categories = list?.categories ?? [];
    return html`
      <div part="header" class="row">
        <h1>Articles</h1>
        <span class="grow"></span>
        <a href="/help" target="_blank" rel="noopener">Help center</a>
        <label class="file">Import JSON or CSV <input type="file" accept=".json,.csv,application/json,text/csv" @change=${this.import} /></label>
        <button type="button" @click=${this.export}>Export</button>
        <button class="primary" type="button" data-action="new" @click=${() => this.open()}>New article</button>
      </div>
      <div part="body">
        ${this.failure || this.task.error ? html`<div class="error" role="alert">${this.failure || this.task.error}</div>` : nothing}
        ${this.message ? html`<div class="ok" role="status">${this.message}</div>` : nothing}
        ${this.draft ? this.renderEditor(this.draft, categories) : nothing}
        <div part="filters" class="row">
          <input type="search" placeholder="Search titles and text" aria-label="Search articles" .value=${this.query} @input=${(e: Event) => {
            this.query = (e.target as HTMLInputElement).value;
            void this.task.reload();
          }} />
          <select aria-label="Category" @change=${(e: Event) => {
            this.category = (e.target as HTMLSelectElement).value;
            void this.task.reload();
          }}>
            <option value="">All categories</option>
            ${categories.map((c) => html`<option value=${c} ?selected=${c === this.category}>${c}</option>`)}
          </select>
        </div>
        ${list && !list.articles.length ? html`<p class="muted">No articles${this.query || this.category ? ' match' : ' yet: write one, or import a file'}.</p>` : nothing}
        <ul part="list" class="list">
          ${(list?.articles ?? []).map(
            (a) => html`<li>
              <button class="link" type="button" data-article=${a.id} @click=${() => this.open(a)}>${a.title}</button>
              <span class="muted">${a.category || 'No category'} · ${a.status === 'published' ? 'Published' : 'Draft'} · ${ago(a.updated_at)}${a.helpful_votes ? ` · ${a.helpful_votes} found it helpful` : ''}</span>
            </li>`,
          )}
        </ul>
      </div>
    `;
  }
}
