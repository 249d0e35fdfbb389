import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { UpdateUserRequest, User } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { controls, screen } from '../../styles/shared.js';
import { ParleyUserChangeEvent } from '../../events/user-change.js';
import { ParleyThemeToggleEvent } from '../../events/theme-toggle.js';
import { styles } from './account-view.styles.js';

/**
 * The signed-in person's own account: the name visitors see on replies, and a new password.
 *
 * @event parley-user-change - the account was saved (`detail.user`, as the server answered)
 * @event parley-theme-toggle - switch light/dark (the navigation hides its switch on phones)
 * @csspart header - the title
 * @csspart profile - the name form
 * @csspart appearance - the theme switch
 * @csspart password - the password form
 */
export class ParleyAccountView extends LitElement {
  static override styles = [controls, screen, styles];
  static override properties = {
    api: { attribute: false },
    user: { attribute: false },
    dark: { type: Boolean },
    message: { state: true },
    failure: { state: true },
  };

  declare api: ApiClient | undefined;
  declare user: User | undefined;
  /** The dark theme is on. */
  declare dark: boolean;
  declare private message: string;
  declare private failure: string;

  constructor() {
    super();
    this.dark = false;
    this.message = '';
    this.failure = '';
  }

  private async save(event: SubmitEvent, body: (data: FormData) => UpdateUserRequest, done: string): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    this.message = this.failure = '';
    if (data.has('password') && data.get('password') !== data.get('confirm')) {
      this.failure = 'The two passwords differ.';
      return;
    }
    try {
      const { user } = await this.api!.updateUser(this.user!.id, body(data));
      this.dispatchEvent(new ParleyUserChangeEvent({ user }));
      this.message = done;
      if (data.has('password')) form.reset();
    } catch (error) {
      this.failure = errorMessage(error);
    }
  }

  override render(): TemplateResult {
    const user = this.user;
    return html`
      <div part="header"><h1>Your account</h1><span class="muted">${user?.email ?? ''} · ${user?.role ?? ''}</span></div>
      <div part="body">
        ${this.failure ? html`<div class="error" role="alert">${this.failure}</div>` : nothing}
        ${this.message ? html`<div class="ok" role="status">${this.message}</div>` : nothing}
        <form part="profile" class="card" @submit=${(e: SubmitEvent) => this.save(e, (d) => ({ name: String(d.get('name') ?? '').trim() }), 'Name saved.')}>
          <h2>Profile</h2>
          <label>Name (visitors see it on your replies) <input name="name" required maxlength="120" .value=${user?.name ?? ''} /></label>
          <div class="row"><button class="primary" type="submit">Save</button></div>
        </form>
        <section part="appearance" class="card">
          <h2>Appearance</h2>
          <div class="row">
            <button data-action="theme" @click=${() => this.dispatchEvent(new ParleyThemeToggleEvent({}))}>${this.dark ? 'Use the light theme' : 'Use the dark theme'}</button>
          </div>
        </section>
        <form part="password" class="card" @submit=${(e: SubmitEvent) => this.save(e, (d) => ({ password: String(d.get('password') ?? '') }), 'Password changed.')}>
          <h2>Password</h2>
          <label>New password <input name="password" type="password" required minlength="8" maxlength="200" autocomplete="new-password" /></label>
          <label>Again <input name="confirm" type="password" required minlength="8" maxlength="200" autocomplete="new-password" /></label>
          <div class="row"><button type="submit">Change password</button></div>
        </form>
      </div>
    `;
  }
}
