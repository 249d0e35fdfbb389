import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { LeadView } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { TaskController } from '../../controllers/task-controller.js';
import { controls, screen } from '../../styles/shared.js';
import { dateTime } from '../../lib/format.js';
import { ParleyNavigateEvent } from '../../events/navigate.js';
import '../lead-detail/lead-detail.js';
import { styles } from './leads-view.styles.js';
import { saveFile } from '../../lib/save-file.js';

/** Every key used by any lead, in first-seen order: the table's columns. */
export function leadColumns(leads: readonly LeadView[]): string[] {
  const columns = new Set<string>();
  for (const lead of leads) for (const key of Object.keys(lead.data)) columns.add(key);
  return [...columns];
}

/** The day after a `YYYY-MM-DD` date (the API's `to` is exclusive; the filter's "to" day is included). */
export function dayAfter(day: string): string {
  const date = new Date(`${day}T00:00:00.000Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/**
 * The leads the bots, forms and the site collected, as a table with one column per field, a text
 * and date filter, a lead's details with its conversation, and exports of the filtered leads as
 * CSV or JSON Lines (`GET /api/leads?format=`, downloaded with the bearer token).
 *
 * @event parley-navigate - a lead's conversation was opened
 * @csspart header - title, filter and export buttons
 * @csspart detail - the open lead
 * @csspart table-wrap - the scrolling table
 */
export class ParleyLeadsView extends LitElement {
  static override styles = [controls, screen, styles];
  static override properties = { api: { attribute: false }, exportError: { state: true }, selected: { state: true } };

  declare api: ApiClient | undefined;
  declare private exportError: string;
  /** The lead whose details are open. */
  declare private selected: string | undefined;
  private q = '';
  private from = '';
  private to = '';
  private readonly task = new TaskController<LeadView[]>(this, async () => (await this.api!.leads({ ...this.query(), limit: 1000 })).leads);

  constructor() {
    super();
    this.exportError = '';
  }

  /** The filter as API query parameters (shared by the table and the exports). */
  private query() {
    return { q: this.q || undefined, from: this.from || undefined, to: this.to ? dayAfter(this.to) : undefined };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.task.reload();
  }

  private filter(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    this.q = String(data.get('q') ?? '').trim();
    this.from = String(data.get('from') ?? '');
    this.to = String(data.get('to') ?? '');
    void this.task.reload();
  }

  /** Fetches the filtered leads as CSV or JSON Lines with the token and hands them to the browser as a download. */
  private async download(format: 'csv' | 'jsonl'): Promise<void> {
    this.exportError = '';
    try {
      const text = await this.api!.leadsExport(format, this.query());
      const type = format === 'csv' ? 'text/csv;charset=utf-8' : 'application/x-ndjson;charset=utf-8';
      saveFile(text, type, `leads-${new Date().toISOString().slice(0, 10)}.${format}`);
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
          <input type="date" name="from" aria-label="From (day)" title="From" />
          <input type="date" name="to" aria-label="To (day, included)" title="To" />
          <button type="submit">Filter</button>
        </form>
        <button class="primary" data-action="export" @click=${() => this.download('csv')}>Export CSV</button>
        <button data-action="export-jsonl" @click=${() => this.download('jsonl')}>Export JSON Lines</button>
      </div>
      <div part="body">
        ${this.task.error || this.exportError ? html`<div class="error" role="alert">${this.task.error || this.exportError}</div>` : nothing}
        ${this.selected
          ? html`<section part="detail" class="card">
              <div class="detail-head"><h2>Lead</h2><button data-action="close-detail" @click=${() => (this.selected = undefined)}>Close</button></div>
              <parley-lead-detail .api=${this.api} lead-id=${this.selected}></parley-lead-detail>
            </section>`
          : nothing}
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
                    <th><span class="sr-only">Details</span></th>
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
                      <td><button class="link" data-lead=${lead.id} aria-pressed=${this.selected === lead.id ? 'true' : 'false'} @click=${() => (this.selected = lead.id)}>Details</button></td>
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
