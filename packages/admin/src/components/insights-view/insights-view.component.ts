import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { saveFile } from '../../lib/save-file.js';
import { controls, screen } from '../../styles/shared.js';
import { heatmap, horizontalBars, stackedBars } from './charts.js';
import { duration, presetPeriod, tables, toCsv, type InsightsData, type Table } from './insights-data.js';
import { styles } from './insights-view.styles.js';
import '../csat-settings/csat-settings.js';

type Preset = 'today' | '7' | '30' | 'custom';

/** The CSS class (color) of each outcome. */
const OUTCOME_COLORS = { bot: 's-bot', open: 's-open', resolved: 's-resolved', abandoned: 's-abandoned' };

/**
 * Insights (admins): how the bot and the team did over a period (today, 7 or 30 days, or custom
 * dates) in a time zone: totals, conversations per day by outcome, response and resolution times
 * per agent, visitor satisfaction with comments, the busiest hours and the bot's funnel. Every
 * chart has its table (for screen readers and a closer look) and a CSV export. Loaded on demand.
 *
 * @csspart header - the title and the period picker
 * @csspart body - the figures and charts
 */
export class ParleyInsightsView extends LitElement {
  static override styles = [controls, screen, styles];
  static override properties = {
    api: { attribute: false },
    preset: { state: true },
    from: { state: true },
    to: { state: true },
    tz: { state: true },
    data: { state: true },
    error: { state: true },
    loading: { state: true },
  };

  declare api: ApiClient | undefined;
  declare private preset: Preset;
  declare private from: string;
  declare private to: string;
  declare private tz: string;
  declare private data: InsightsData | undefined;
  declare private error: string;
  declare private loading: boolean;
  private request = 0;

  constructor() {
    super();
    this.api = undefined;
    this.tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
    this.preset = '7';
    ({ from: this.from, to: this.to } = presetPeriod('7', this.tz));
    this.data = undefined;
    this.error = '';
    this.loading = false;
  }

  // The element may be upgraded after its `api` was set (it is loaded on demand): load once it is.
  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api') && this.api) void this.load();
  }

  private async load(): Promise<void> {
    const api = this.api;
    if (!api) return;
    const id = ++this.request;
    const query = { from: this.from, to: this.to, tz: this.tz };
    this.loading = true;
    try {
      const [overview, daily, times, csat, hours, funnel] = await Promise.all(
        ['overview', 'daily', 'response-times', 'csat', 'hours', 'funnel'].map((name) => api.report<unknown>(name, query)),
      );
      if (id !== this.request) return;
      this.data = { overview, daily, times, csat, hours, funnel } as InsightsData;
      this.error = '';
    } catch (error) {
      if (id === this.request) this.error = errorMessage(error);
    } finally {
      if (id === this.request) this.loading = false;
    }
  }

  private choose(preset: Preset): void {
    this.preset = preset;
    if (preset !== 'custom') ({ from: this.from, to: this.to } = presetPeriod(preset, this.tz));
    void this.load();
  }

  private setDates(event: Event): void {
    const form = (event.target as HTMLElement).closest('.period')!;
    const from = (form.querySelector('[name=from]') as HTMLInputElement).value;
    const to = (form.querySelector('[name=to]') as HTMLInputElement).value;
    if (!from || !to) return;
    this.preset = 'custom';
    [this.from, this.to] = from <= to ? [from, to] : [to, from];
    void this.load();
  }

  private setZone(event: Event): void {
    this.tz = (event.target as HTMLSelectElement).value;
    if (this.preset !== 'custom') ({ from: this.from, to: this.to } = presetPeriod(this.preset, this.tz));
    void this.load();
  }

  private download(name: string, table: Table): void {
    saveFile(toCsv(table), 'text/csv;charset=utf-8', `insights-${name}-${this.from}-${this.to}.csv`);
  }

  /** A chart with its title, its table (a disclosure) and a CSV export. */
  private section(name: string, title: string, chart: TemplateResult | typeof nothing, table: Table, note?: string): TemplateResult {
    return html`<section aria-labelledby="h-${name}">
      <h2 id="h-${name}">${title}<span class="tools"><button @click=${() => this.download(name, table)}>CSV</button></span></h2>
      ${note ? html`<p class="muted">${note}</p>` : nothing} ${chart}
      <details>
        <summary>Table</summary>
        <div class="table-wrap">
          <table>
            <caption class="muted">${title}, ${this.from} to ${this.to} (${this.tz})</caption>
            <thead><tr>${table.headers.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
            <tbody>${table.rows.map((r) => html`<tr>${r.map((c, i) => (i === 0 ? html`<th scope="row">${c}</th>` : html`<td class=${name === 'comments' && i === 2 ? 'comment' : ''}>${c}</td>`))}</tr>`)}</tbody>
          </table>
        </div>
      </details>
    </section>`;
  }

  private zones(): string[] {
    const supported = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
    return [...new Set(['UTC', this.tz, ...supported])];
  }

  private renderBody(d: InsightsData): TemplateResult {
    const o = d.overview;
    const labels = d.daily.days.map((x) => x.day);
    const dailySeries = [
      { name: 'Bot only', color: OUTCOME_COLORS.bot, values: d.daily.days.map((x) => x.bot_only) },
      { name: 'Resolved by a person', color: OUTCOME_COLORS.resolved, values: d.daily.days.map((x) => x.resolved) },
      { name: 'With a person, not resolved', color: OUTCOME_COLORS.open, values: d.daily.days.map((x) => x.handed_off - x.resolved) },
      { name: 'Abandoned', color: OUTCOME_COLORS.abandoned, values: d.daily.days.map((x) => x.abandoned) },
    ];
    const cards: Array<[string, string]> = [
      ['Conversations', String(o.conversations)],
      ['Bot only', String(o.bot_only)],
      ['Handed to a person', String(o.handed_off)],
      ['Resolved by a person', String(o.resolved)],
      ['Abandoned', String(o.abandoned)],
      ['First response (median)', duration(o.first_response_ms.median)],
      ['Resolution (median)', duration(o.resolution_ms.median)],
      ['Satisfaction', o.csat.average === null ? '–' : `${o.csat.average} / 5 (${o.csat.count})`],
    ];
    return html`<div class="cards" role="list">${cards.map(([label, value]) => html`<div class="card" role="listitem"><b>${value}</b><span>${label}</span></div>`)}</div>
      ${this.section(
        'daily',
        'Conversations per day',
        html`<ul class="legend">${dailySeries.map((s) => html`<li><i class=${s.color}></i>${s.name}</li>`)}</ul>${stackedBars(labels, dailySeries)}`,
        tables.daily(d),
      )}
      <div class="grid2">
        ${this.section('times', 'Response and resolution times', horizontalBars(d.times.agents.map((a) => ({ label: a.name, value: Math.round((a.first_response_ms.median ?? 0) / 1000) }))), tables.times(d), 'Bars: median first response per agent, in seconds.')}
        ${this.section('csat', 'Visitor satisfaction', horizontalBars(d.csat.distribution.map((n, i) => ({ label: `${'★'.repeat(i + 1)}`, value: n }))), tables.csat(d), d.csat.count ? `Average ${d.csat.average} / 5 from ${d.csat.count} ratings (thumbs up counts 5, down 1).` : 'No ratings in this period.')}
      </div>
      ${this.section('hours', 'Busiest hours', heatmap(d.hours.cells), tables.hours(d), `Conversations started, by weekday and hour in ${this.tz}.`)}
      ${this.section(
        'funnel',
        d.funnel.flow ? `The bot's funnel: ${d.funnel.flow.name}` : "The bot's funnel",
        horizontalBars(d.funnel.steps.filter((s) => s.reached).map((s) => ({ label: s.step, value: s.reached, marker: s.stopped }))),
        tables.funnel(d),
        'How many conversations reached each step; the orange end is how many stopped there (at an end step, finished).',
      )}
      ${this.section('comments', 'Comments', nothing, tables.comments(d), d.csat.comments.length ? undefined : 'No comments in this period.')}`;
  }

  override render(): TemplateResult {
    const presets: Array<[Preset, string]> = [['today', 'Today'], ['7', '7 days'], ['30', '30 days']];
    return html`<div part="header">
        <h1>Insights</h1>
        <div class="period">
          <div class="presets" role="group" aria-label="Period">
            ${presets.map(([p, label]) => html`<button aria-pressed=${this.preset === p} @click=${() => this.choose(p)}>${label}</button>`)}
          </div>
          <label>From <input type="date" name="from" .value=${this.from} max=${this.to} @change=${this.setDates} /></label>
          <label>To <input type="date" name="to" .value=${this.to} min=${this.from} @change=${this.setDates} /></label>
          <label>Time zone <select @change=${this.setZone}>${this.zones().map((z) => html`<option ?selected=${z === this.tz}>${z}</option>`)}</select></label>
          ${this.loading ? html`<span class="muted" role="status">Loading…</span>` : nothing}
        </div>
      </div>
      <details class="csat-settings">
        <summary>Rating settings</summary>
        <parley-csat-settings .api=${this.api}></parley-csat-settings>
      </details>
      <div part="body">
        ${this.error ? html`<p role="alert">${this.error}</p>` : nothing} ${this.data ? this.renderBody(this.data) : this.loading ? nothing : html`<p class="muted">No data.</p>`}
      </div>`;
  }
}
