import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { IdentitySettingsView } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { TaskController } from '../../controllers/task-controller.js';
import { controls, row } from '../../styles/shared.js';
import { styles } from './identity-settings.styles.js';

/** What the site's server runs to prove who a visitor is (docs/identity.md has the token version). */
export function hashSnippet(): string {
  return [
    "import { createHmac } from 'node:crypto';",
    '',
    '// On your server, for the signed-in user; PARLEY_IDENTITY_SECRET is the secret above.',
    "const hash = createHmac('sha256', process.env.PARLEY_IDENTITY_SECRET).update(String(user.id)).digest('hex');",
    '',
    '// In the page:',
    "Parley('identify', { id: String(user.id), name: user.name, email: user.email, hash });",
  ].join('\n');
}

/**
 * Identity verification (admins): the company's identity secret, hidden until revealed, to copy
 * into the site's server; a new secret; and whether unverified identities are refused.
 *
 * @csspart secret - the identity secret, once revealed
 * @csspart hash-snippet - the code the site's server runs
 */
export class ParleyIdentitySettings extends LitElement {
  static override styles = [controls, row, styles];
  static override properties = { api: { attribute: false }, revealed: { state: true }, message: { state: true }, failure: { state: true } };

  declare api: ApiClient | undefined;
  declare private revealed: boolean;
  declare private message: string;
  declare private failure: string;
  private readonly task = new TaskController<IdentitySettingsView>(this, () => this.api!.identitySettings());

  constructor() {
    super();
    this.revealed = false;
    this.message = '';
    this.failure = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.task.reload();
  }

  private async save(body: { enforce?: boolean; rotate_secret?: boolean }, done: string): Promise<void> {
    this.message = this.failure = '';
    try {
      this.task.set(await this.api!.updateIdentitySettings(body));
      this.message = done;
    } catch (error) {
      this.failure = errorMessage(error);
    }
  }

  private rotate(): void {
    if (!confirm('Hashes and tokens made with the current secret stop working at once. Continue?')) return;
    this.revealed = true;
    void this.save({ rotate_secret: true }, 'New secret made: put it on your server.');
  }

  private async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.message = 'Copied.';
    } catch {
      this.message = 'Select the text and copy it by hand.';
    }
  }

  override render(): TemplateResult {
    const settings = this.task.value;
    return html`<section class="card">
      <h2>Identity verification</h2>
      <p class="muted">
        Tell Parley who a signed-in visitor is with <code>Parley('identify', …)</code>. Your server proves it with a hash of the user id
        (or a short-lived token) made with this secret; verified visitors find their conversation on any device, and agents see who is
        verified. Keep the secret on your server, never in a page.
      </p>
      ${this.failure || this.task.error ? html`<div class="error" role="alert">${this.failure || this.task.error}</div>` : nothing}
      ${this.message ? html`<div class="ok" role="status">${this.message}</div>` : nothing}
      ${!settings
        ? html`<p class="muted">${this.task.running ? 'Loading…' : ''}</p>`
        : html`
            <div class="row">
              ${this.revealed
                ? html`<code part="secret" data-identity-secret>${settings.secret}</code><button @click=${() => this.copy(settings.secret)}>Copy secret</button>`
                : html`<code class="masked">is_••••••••••••</code><button data-action="reveal" @click=${() => (this.revealed = true)}>Show secret</button>`}
              <button class="danger" data-action="rotate-identity" @click=${this.rotate}>New secret</button>
            </div>
            <label class="check">
              <input type="checkbox" data-action="enforce" .checked=${settings.enforce} @change=${(e: Event) =>
                this.save({ enforce: (e.target as HTMLInputElement).checked }, (e.target as HTMLInputElement).checked ? 'Unverified identities are now refused.' : 'Unverified identities are now kept, marked as unverified.')} />
              Only accept verified identities (refuse <code>identify</code> without a valid hash or token)
            </label>
            <pre part="hash-snippet">${hashSnippet()}</pre>
          `}
    </section>`;
  }
}
