import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { controls } from '../../styles/shared.js';
import { ParleyLoginEvent } from '../../events/login.js';
import { styles } from './login-form.styles.js';

/**
 * The sign-in screen: email and password. It reports the submission and shows the error it is
 * given; signing in itself belongs to the session store.
 *
 * @event parley-login - the form was submitted (`detail.email`, `detail.password`)
 * @csspart form - the card holding the form
 * @csspart brand - the product name on top
 * @csspart error - why the last attempt failed
 */
export class ParleyLoginForm extends LitElement {
  static override styles = [controls, styles];
  static override properties = { error: {}, busy: { type: Boolean } };

  /** Why the last attempt failed, shown above the button. */
  declare error: string;
  /** A sign-in is running: the button is disabled. */
  declare busy: boolean;

  constructor() {
    super();
    this.error = '';
    this.busy = false;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    this.dispatchEvent(new ParleyLoginEvent({ email: String(data.get('email') ?? '').trim(), password: String(data.get('password') ?? '') }));
  }

  override render(): TemplateResult {
    return html`
      <form part="form" class="card" @submit=${this.submit}>
        <div part="brand">Parley</div>
        <p class="muted">Sign in to answer your visitors.</p>
        <label>Email <input name="email" type="email" autocomplete="username" required minlength="3" maxlength="254" /></label>
        <label>Password <input name="password" type="password" autocomplete="current-password" required maxlength="200" /></label>
        ${this.error ? html`<div part="error" class="error" role="alert">${this.error}</div>` : nothing}
        <button class="primary" type="submit" ?disabled=${this.busy}>${this.busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    `;
  }
}
