import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { LeadView } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { TaskController } from '../../controllers/task-controller.js';
import { controls, screen } from '../../styles/shared.js';
import { dateTime } from '../../lib/format.js';
import { ParleyNavigateEvent } from '../../events/navigate.js';
import { styles } from './leads-view.styles.js';

/** Every key used by any lead, in first-seen order: the table's columns. */
export function leadColumns(leads: readonly LeadView[]): string[] {
  const columns = new Set<string>();
  for (const lead of leads) for (const key of Object.keys(lead.data)) columns.add(key);
  return [...columns];
}

/**
 * The leads the bots and forms collected, as a table with one column per field, a filter, and a
 * CSV export (`GET /api/leads?format=csv`, downloaded with the bearer token).
 *
 * @event parley-navigate - a lead's conversation was opened
 * @csspart header - title, filter and export button
 * @csspart table-wrap - the scrolling table
 */
export class ParleyLeadsView extends LitElement {
  static override styles = [controls, screen, styles];
  static override properties = { api: { attribute: false }, exportError: { state: true } };

  declare api: ApiClient | undefined;
  declare private exportError: string;
  private q = '';
  private readonly task = new TaskController<LeadView[]>(this, async () => (await this.api!.leads({ q: this.q || undefined, limit: 1000 })).leads);

  constructor() {
    super();
    this.exportError = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.task.reload();
  }

  private filter(event: SubmitEvent): void {
    event.preventDefault();
    this.q = String(new FormData(event.target as HTMLFormElement).get('q') ?? '').trim();
    void this.task.reload();
  }

  /** Fetches the CSV with the token and hands it to the browser as a download. */
  private async exportCsv(): Promise<void> {
    this.exportError = '';
    try {
      const csv = await this.api!.leadsCsv({ q: this.q || undefined });
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = `leads-${new Date().toISOString().slice(0, 10)}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.exportError = errorMessage(error);
    }
  }

  private open(event: MouseEvent, id: string): void {
    if (event.metaKey || event.ctrlKey || event.button !== 0) return;
    event.preventDefault();
    this.dispatchEvent(new ParleyNavigateEvent({ screen: 'inbox', conversationId: id }));
  }

  override render(): TemplateResult {
    const leads = this.task.value ?? [];
    const columns = leadColumns(leads);
    return html`
      <div part="header">
        <h1>Leads</h1>
        <span class="muted">${this.task.value ? `${leads.length} lead${leads.length === 1 ? '' : 's'}` : ''}</span>
        <span class="spacer"></span>
        <form role="search" @submit=${this.filter}>
          <input type="search" name="q" placeholder="Filter…" aria-label="Filter leads" maxlength="200" />
          <button type="submit">Filter</button>
        </form>
        <button class="primary" data-action="export" @click=${this.exportCsv}>Export CSV</button>
      </div>
      <div part="body">
        ${this.task.error || this.exportError ? html`<div class="error" role="alert">${this.task.error || this.exportError}</div>` : nothing}
        ${this.task.running && !this.task.value ? html`<p class="muted">Loading…</p>` : nothing}
        ${this.task.value && !leads.length ? html`<p class="muted">No leads yet. They appear when a bot flow or a form collects a visitor's details.</p>` : nothing}
        ${leads.length
          ? html`<div part="table-wrap" class="card">
              <table>
                <thead>
                  <tr>
                    <th>Date</th>
                    ${columns.map((c) => html`<th>${c.replace(/_/g, ' ')}</th>`)}
                    <th>Source</th>
                    <th>Chat</th>
                  </tr>
                </thead>
                <tbody>
                  ${leads.map(
                    (lead) => html`<tr>
                      <td>${dateTime(lead.created_at)}</td>
                      ${columns.map((c) => html`<td title=${String(lead.data[c] ?? '')}>${lead.data[c] === undefined ? '' : String(lead.data[c])}</td>`)}
                      <td>${lead.source}</td>
                      <td>
                        ${lead.conversation_id
                          ? html`<a href=${`/admin/inbox/${encodeURIComponent(lead.conversation_id)}`} @click=${(e: MouseEvent) => this.open(e, lead.conversation_id!)}>Open</a>`
                          : '—'}
                      </td>
                    </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : nothing}
      </div>
    `;
  }
}
