import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { CompanyView, UpdateCompanyRequest } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { TaskController } from '../../controllers/task-controller.js';
import { controls, screen, row, copyable } from '../../styles/shared.js';
import { ParleyNavigateEvent } from '../../events/navigate.js';
import type { SavedRepliesStore } from '../../store/saved-replies-store.js';
import '../identity-settings/identity-settings.js';
import '../saved-replies-settings/saved-replies-settings.js';
import { embedSnippet, parseOrigins } from '../../lib/embed.js';
import { styles } from './settings-view.styles.js';

/**
 * Company settings (admins): name, the widget's site key and embed snippet, the origins allowed
 * to embed it, the company's saved replies (`<parley-saved-replies-settings>`, admins only), the
 * server-to-server API key, which is shown once right after a rotation, and identity verification
 * (`<parley-identity-settings>`).
 *
 * @csspart header - the title
 * @csspart snippet - the embed code
 * @csspart api-key - the new API key, shown once
 */
export class ParleySettingsView extends LitElement {
  static override styles = [controls, screen, row, copyable, styles];
  static override properties = {
    api: { attribute: false },
    origin: {},
    admin: { type: Boolean },
    savedReplies: { attribute: false },
    apiKey: { state: true },
    message: { state: true },
    failure: { state: true },
  };

  declare api: ApiClient | undefined;
  /** The server's public origin for the snippet (defaults to this page's). */
  declare origin: string;
  /** The signed-in user is an admin or the owner: they manage the saved replies. */
  declare admin: boolean;
  /** The session's saved replies, managed here by admins. */
  declare savedReplies: SavedRepliesStore | undefined;
  declare private apiKey: string;
  declare private message: string;
  declare private failure: string;
  private readonly task = new TaskController<CompanyView>(this, async () => (await this.api!.company()).company);

  constructor() {
    super();
    this.origin = globalThis.location?.origin ?? '';
    this.admin = false;
    this.apiKey = '';
    this.message = '';
    this.failure = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.task.reload();
  }

  private async save(body: UpdateCompanyRequest, done: string): Promise<void> {
    this.failure = this.message = '';
    try {
      const { company, api_key } = await this.api!.updateCompany(body);
      this.task.set(company);
      if (api_key) this.apiKey = api_key;
      this.message = done;
    } catch (error) {
      this.failure = errorMessage(error);
    }
  }

  private async copy(text: string, what: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.message = `${what} copied.`;
    } catch {
      this.message = `Select the ${what.toLowerCase()} and copy it by hand.`;
    }
  }

  private submitGeneral(event: SubmitEvent): void {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    void this.save({ name: String(data.get('name') ?? '').trim(), allowed_origins: parseOrigins(String(data.get('origins') ?? '')) }, 'Settings saved.');
  }

  private rotate(kind: 'site' | 'api'): void {
    const warning =
      kind === 'site'
        ? 'A new site key stops the current embed code from working until you update it on your site. Continue?'
        : 'The current API key stops working at once. Continue?';
    if (!confirm(warning)) return;
    void this.save(kind === 'site' ? { rotate_site_key: true } : { rotate_api_key: true }, kind === 'site' ? 'New site key made: update your embed code.' : 'New API key made.');
  }

  override render(): TemplateResult {
    const company = this.task.value;
    return html`
      <div part="header"><h1>Company settings</h1></div>
      <div part="body">
        ${this.failure || this.task.error ? html`<div class="error" role="alert">${this.failure || this.task.error}</div>` : nothing}
        ${this.message ? html`<div class="ok" role="status">${this.message}</div>` : nothing}
        ${!company
          ? html`<p class="muted">${this.task.running ? 'Loading…' : ''}</p>`
          : html`
              <section class="card">
                <h2>Install the widget</h2>
                <p class="muted">Paste this before <code>&lt;/body&gt;</code> on every page of your site.</p>
                <code part="snippet">${embedSnippet(this.origin, company.site_key)}</code>
                <div class="row">
                  <button data-action="copy-snippet" @click=${() => this.copy(embedSnippet(this.origin, company.site_key), 'Embed code')}>Copy code</button>
                  <span class="muted">Site key <code data-site-key>${company.site_key}</code></span>
                  <button class="danger" data-action="rotate-site" @click=${() => this.rotate('site')}>New site key</button>
                </div>
              </section>
              <form class="card" @submit=${this.submitGeneral}>
                <h2>General</h2>
                <label>Company name <input name="name" required maxlength="120" .value=${company.name} /></label>
                <label>Allowed origins (one per line; the widget only loads on these sites)
                  <textarea name="origins" placeholder="https://shop.example" .value=${company.allowed_origins.join('\n')}></textarea>
                </label>
                <div class="row"><button class="primary" type="submit">Save</button></div>
              </form>
              ${this.admin && this.savedReplies ? html`<parley-saved-replies-settings .store=${this.savedReplies}></parley-saved-replies-settings>` : nothing}
              <section class="card">
                <h2>API key</h2>
                <p class="muted">For your servers: external bots hand visitors to your agents with <code>POST /api/transfer_to_agent</code>.
                  ${company.has_api_key ? 'A key is set; it is never shown again.' : 'No key yet.'}</p>
                ${this.apiKey
                  ? html`<p><strong>Your new API key.</strong> Copy it now: it will not be shown again.</p>
                      <code part="api-key" data-api-key>${this.apiKey}</code>
                      <div class="row"><button @click=${() => this.copy(this.apiKey, 'API key')}>Copy key</button></div>`
                  : nothing}
                <div class="row"><button class="danger" data-action="rotate-api" @click=${() => this.rotate('api')}>${company.has_api_key ? 'Rotate API key' : 'Create API key'}</button></div>
              </section>
              <parley-identity-settings .api=${this.api}></parley-identity-settings>
              <section class="card">
                <h2>Webhooks</h2>
                <p class="muted">Send new leads, hand-offs, resolved conversations and messages to your own systems as they happen.</p>
                <div class="row">
                  <a class="button" href="/admin/webhooks" data-action="webhooks" @click=${(e: MouseEvent) => {
                    if (e.metaKey || e.ctrlKey || e.button !== 0) return;
                    e.preventDefault();
                    this.dispatchEvent(new ParleyNavigateEvent({ screen: 'webhooks' }));
                  }}>Manage webhooks</a>
                </div>
              </section>
            `}
      </div>
    `;
  }
}
