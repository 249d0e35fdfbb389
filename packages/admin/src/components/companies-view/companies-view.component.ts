import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { CompanyView, CreateCompanyRequest, CreateCompanyResponse } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { TaskController } from '../../controllers/task-controller.js';
import { embedSnippet, parseOrigins } from '../../lib/embed.js';
import { dateTime } from '../../lib/format.js';
import { controls, screen, row, copyable } from '../../styles/shared.js';
import '../company-admin-form/company-admin-form.js';
import { styles } from './companies-view.styles.js';

/**
 * The instance's companies (the owner only): each with its site key, allowed origins and age,
 * and an "Add an admin" form for every company but the owner's own; a form that adds a company,
 * optionally with its first admin. A new company's embed code and API key are shown right
 * after it is made, the API key that once only.
 *
 * @csspart header - the title
 * @csspart created - the new company's embed code and API key
 * @csspart snippet - the new company's embed code
 * @csspart api-key - the new company's API key, shown once
 * @csspart list - the companies; `company` each one
 * @csspart add - the form that adds a company
 */
export class ParleyCompaniesView extends LitElement {
  static override styles = [controls, screen, row, copyable, styles];
  static override properties = {
    api: { attribute: false },
    origin: {},
    own: {},
    created: { state: true },
    staffing: { state: true },
    busy: { state: true },
    message: { state: true },
    failure: { state: true },
  };

  declare api: ApiClient | undefined;
  /** The server's public origin for the embed code (defaults to this page's). */
  declare origin: string;
  /** The owner's own company id: it gets no "Add an admin" (Agents does that). */
  declare own: string;
  /** The answer for the company just made; gone once dismissed or the screen is left. */
  declare private created: CreateCompanyResponse | undefined;
  /** The company whose "Add an admin" form is open. */
  declare private staffing: string;
  declare private busy: boolean;
  declare private message: string;
  declare private failure: string;
  private readonly task = new TaskController<CompanyView[]>(this, async () => (await this.api!.companies()).companies);

  constructor() {
    super();
    this.origin = globalThis.location?.origin ?? '';
    this.own = '';
    this.staffing = '';
    this.busy = false;
    this.message = '';
    this.failure = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.task.reload();
  }

  /** The request the add form describes, or a reason it cannot be sent. */
  private request(data: FormData): CreateCompanyRequest | string {
    const field = (name: string) => String(data.get(name) ?? '').trim();
    const admin = { email: field('admin-email'), name: field('admin-name'), password: String(data.get('admin-password') ?? '') };
    const given = [admin.email, admin.name, admin.password].filter(Boolean).length;
    if (given > 0 && given < 3) return 'To add a first admin, fill in their email, name and password.';
    const origins = parseOrigins(field('origins'));
    return { name: field('name'), ...(origins.length ? { allowed_origins: origins } : {}), ...(given ? { admin } : {}) };
  }

  private async add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const body = this.request(new FormData(form));
    this.failure = this.message = '';
    if (typeof body === 'string') {
      this.failure = body;
      return;
    }
    this.busy = true;
    try {
      this.created = await this.api!.createCompany(body);
      form.reset();
      await this.task.reload();
    } catch (error) {
      this.failure = errorMessage(error);
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector('[part="created"]')?.scrollIntoView?.({ block: 'nearest' });
  }

  private async copy(text: string, what: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.message = `${what} copied.`;
    } catch {
      this.message = `Select the ${what.toLowerCase()} and copy it by hand.`;
    }
  }

  private createdCard({ company, api_key, admin }: CreateCompanyResponse): TemplateResult {
    const snippet = embedSnippet(this.origin, company.site_key);
    return html`<section part="created" class="card" data-company=${company.id}>
      <h2>${company.name} is ready</h2>
      <p class="muted">
        ${admin ? html`<strong>${admin.name}</strong> can sign in with ${admin.email} and add its agents.` : 'It has no people yet: add its first admin below.'}
        Paste this before <code>&lt;/body&gt;</code> on its site.
      </p>
      <code part="snippet">${snippet}</code>
      <div class="row">
        <button data-action="copy-snippet" @click=${() => this.copy(snippet, 'Embed code')}>Copy code</button>
        <span class="muted">Site key <code data-site-key>${company.site_key}</code></span>
      </div>
      <p><strong>Its API key.</strong> Save it now: it will not be shown again. (Its admins can make a new one in Settings.)</p>
      <code part="api-key" data-api-key>${api_key}</code>
      <div class="row">
        <button data-action="copy-key" @click=${() => this.copy(api_key, 'API key')}>Copy key</button>
        <button data-action="dismiss" @click=${() => ((this.created = undefined), (this.message = ''))}>I saved it</button>
      </div>
    </section>`;
  }

  private item(company: CompanyView): TemplateResult {
    const own = company.id === this.own;
    const open = this.staffing === company.id;
    return html`<li part="company" data-company=${company.id}>
      <div class="line">
        <div class="who">
          <strong>${company.name}</strong>
          ${company.is_default ? html`<span class="tag" title="The instance's first company">default</span>` : nothing}
          ${own ? html`<span class="tag">yours</span>` : nothing}
        </div>
        ${own
          ? nothing
          : html`<button data-action="add-admin" aria-expanded=${open ? 'true' : 'false'} @click=${() => (this.staffing = open ? '' : company.id)}>
              ${open ? 'Close' : 'Add an admin'}
            </button>`}
      </div>
      <dl>
        <dt>Site key</dt><dd><code>${company.site_key}</code></dd>
        <dt>Allowed origins</dt><dd>${company.allowed_origins.length ? company.allowed_origins.join(', ') : html`<span class="muted">any site</span>`}</dd>
        <dt>Created</dt><dd>${dateTime(company.created_at)}</dd>
      </dl>
      ${open ? html`<parley-company-admin-form .api=${this.api} .company=${company}></parley-company-admin-form>` : nothing}
    </li>`;
  }

  override render(): TemplateResult {
    const companies = this.task.value ?? [];
    return html`
      <div part="header"><h1>Companies</h1><span class="muted">${companies.length} on this instance</span></div>
      <div part="body">
        ${this.failure ? html`<div class="error" role="alert">${this.failure}</div>` : nothing}
        ${this.message ? html`<div class="ok" role="status">${this.message}</div>` : nothing}
        ${this.task.error ? html`<div class="error" role="alert">${this.task.error}</div>` : nothing}
        ${this.created ? this.createdCard(this.created) : nothing}
        <div class="card">
          <ul part="list">${companies.map((company) => this.item(company))}</ul>
          ${this.task.running && !this.task.value ? html`<p class="muted">Loading…</p>` : nothing}
        </div>
        <form part="add" class="card" @submit=${this.add}>
          <h2>Add a company</h2>
          <label>Name <input name="name" required maxlength="120" autocomplete="off" /></label>
          <label>Allowed origins (one per line; the widget only loads on these sites)
            <textarea name="origins" placeholder="https://shop.example"></textarea>
          </label>
          <fieldset>
            <legend>First admin (optional)</legend>
            <label>Email <input name="admin-email" type="email" maxlength="254" autocomplete="off" /></label>
            <label>Name <input name="admin-name" maxlength="120" autocomplete="off" /></label>
            <label>Password <input name="admin-password" type="password" minlength="8" maxlength="200" autocomplete="new-password" /></label>
          </fieldset>
          <div class="row"><button class="primary" type="submit" ?disabled=${this.busy}>Add company</button></div>
        </form>
      </div>
    `;
  }
}
