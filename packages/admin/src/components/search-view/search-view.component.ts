import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { decodeEntities, type SearchHit } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { TaskController } from '../../controllers/task-controller.js';
import { controls, screen } from '../../styles/shared.js';
import { dateTime } from '../../lib/format.js';
import { ParleyNavigateEvent } from '../../events/navigate.js';
import { styles } from './search-view.styles.js';

/** One run of a search snippet: plain text, and whether it is a highlighted hit. */
export interface SnippetPart {
  text: string;
  hit: boolean;
}

/**
 * The server's snippet (escaped HTML with `<mark>` round the hits) as plain text runs. The text is
 * decoded once, here, and rendered as text, never as markup: a message holding
 * `<script>alert(1)</script>` shows exactly that, and nothing in it can run.
 */
export function snippetParts(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let hit = false;
  for (const piece of snippet.split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') hit = true;
    else if (piece === '</mark>') hit = false;
    else if (piece) parts.push({ text: decodeEntities(piece), hit });
  }
  return parts;
}

const WHO: Record<string, string> = { user: 'Visitor', bot: 'Bot', agent: 'Agent', system: 'System' };

/**
 * Full-text search over the company's messages (`GET /api/search?q=`). Each hit links to its
 * conversation; matches are highlighted.
 *
 * @event parley-navigate - a hit was opened (`detail.conversationId`)
 * @csspart header - the search form
 * @csspart body - the results area
 * @csspart results - the list; `result` each hit, `snippet` its text with `<mark>` round the matches
 */
export class ParleySearchView extends LitElement {
  static override styles = [controls, screen, styles];
  static override properties = { api: { attribute: false }, query: {} };

  declare api: ApiClient | undefined;
  /** The current query (set it to search from outside). */
  declare query: string;
  private readonly task = new TaskController<SearchHit[]>(this, async () => (await this.api!.search(this.query, 50)).results);

  constructor() {
    super();
    this.query = '';
  }

  /** Puts the cursor in the search box. */
  override focus(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const q = String(new FormData(event.target as HTMLFormElement).get('q') ?? '').trim();
    this.query = q;
    if (q) void this.task.reload();
  }

  private open(event: MouseEvent, id: string): void {
    if (event.metaKey || event.ctrlKey || event.button !== 0) return;
    event.preventDefault();
    this.dispatchEvent(new ParleyNavigateEvent({ screen: 'inbox', conversationId: id }));
  }

  override render(): TemplateResult {
    const hits = this.task.value;
    return html`
      <div part="header">
        <h1>Search</h1>
        <form role="search" @submit=${this.submit}>
          <input type="search" name="q" .value=${this.query} placeholder="Words in any message…" aria-label="Search messages" maxlength="200" />
          <button class="primary" type="submit">Search</button>
        </form>
      </div>
      <div part="body">
        ${this.task.error ? html`<div class="error" role="alert">${this.task.error}</div>` : nothing}
        ${this.task.running ? html`<p class="muted">Searching…</p>` : nothing}
        ${hits && !this.task.running
          ? hits.length
            ? html`<ul part="results">
                ${hits.map(
                  (hit) => html`<li>
                    <a part="result" class="card" href=${`/admin/inbox/${encodeURIComponent(hit.conversation_id)}`} @click=${(e: MouseEvent) => this.open(e, hit.conversation_id)}>
                      <span part="snippet">${snippetParts(hit.snippet).map((part) => (part.hit ? html`<mark>${part.text}</mark>` : part.text))}</span>
                      <span class="meta">${WHO[hit.role] ?? hit.role} · ${dateTime(hit.created_at)} · ${hit.conversation_id}</span>
                    </a>
                  </li>`,
                )}
              </ul>`
            : html`<p class="muted">No message matches “${this.query}”.</p>`
          : nothing}
      </div>
    `;
  }
}
