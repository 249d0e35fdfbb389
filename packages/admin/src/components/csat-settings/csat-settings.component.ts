import { LitElement, css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { CsatAskAfter, CsatSettings, RatingScale } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { controls } from '../../styles/shared.js';

/**
 * The company's CSAT settings (admins): whether visitors are asked to rate, on which scale, and
 * after which resolutions. Loads them once `api` is set; saves with `PUT /api/csat/settings`.
 *
 * @csspart form - the settings form
 */
export class ParleyCsatSettings extends LitElement {
  static override styles = [
    controls,
    css`
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 8px 16px;
        align-items: center;
        padding: 8px 0;
      }
      label.check {
        display: flex;
        gap: 6px;
        align-items: center;
      }
      label.check input {
        width: auto;
        height: auto;
        margin: 0;
      }
    `,
  ];
  static override properties = {
    api: { attribute: false },
    settings: { state: true },
    status: { state: true },
    saving: { state: true },
  };

  declare api: ApiClient | undefined;
  declare private settings: CsatSettings | undefined;
  declare private status: string;
  declare private saving: boolean;

  constructor() {
    super();
    this.api = undefined;
    this.settings = undefined;
    this.status = '';
    this.saving = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('api') && this.api) void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.settings = await this.api!.csatSettings();
    } catch (error) {
      this.status = errorMessage(error);
    }
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const value = (name: string) => (form.querySelector(`[name=${name}]`) as HTMLInputElement | HTMLSelectElement).value;
    const body: CsatSettings = {
      enabled: (form.querySelector('[name=enabled]') as HTMLInputElement).checked,
      scale: value('scale') as RatingScale,
      ask_after: value('ask_after') as CsatAskAfter,
    };
    this.saving = true;
    try {
      this.settings = await this.api!.saveCsatSettings(body);
      this.status = 'Saved.';
    } catch (error) {
      this.status = errorMessage(error);
    } finally {
      this.saving = false;
    }
  }

  override render(): TemplateResult | typeof nothing {
    const s = this.settings;
    if (!s) return this.status ? html`<p role="alert">${this.status}</p>` : nothing;
    const option = (value: string, label: string, current: string) => html`<option value=${value} ?selected=${value === current}>${label}</option>`;
    return html`<form part="form" @submit=${this.save}>
      <label class="check"><input type="checkbox" name="enabled" .checked=${s.enabled} /> Ask visitors to rate the conversation</label>
      <label>Scale <select name="scale">${option('five', '1 to 5 stars', s.scale)}${option('thumbs', 'Thumbs up or down', s.scale)}</select></label>
      <label>Ask after <select name="ask_after">${option('agent', 'an agent resolves', s.ask_after)}${option('bot', 'the bot reaches an end', s.ask_after)}${option('both', 'either', s.ask_after)}</select></label>
      <button type="submit" ?disabled=${this.saving}>Save</button>
      ${this.status ? html`<span role="status" class="muted">${this.status}</span>` : nothing}
    </form>`;
  }
}
