import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { CompanyView } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { controls } from '../../styles/shared.js';
import { styles } from './company-admin-form.styles.js';

/**
 * Adds an admin to another company (the owner only): email, name and password, sent to
 * `POST /api/users` with the company's id. Says who can now sign in, or why the server refused.
 *
 * @csspart form - the fields and the button
 */
export class ParleyCompanyAdminForm extends LitElement {
  static override styles = [controls, styles];
  static override properties = {
    api: { attribute: false },
    company: { attribute: false },
    busy: { state: true },
    message: { state: true },
    failure: { state: true },
  };

  declare api: ApiClient | undefined;
  /** The company the admin joins. */
  declare company: CompanyView | undefined;
  declare private busy: boolean;
  declare private message: string;
  declare private failure: string;

  constructor() {
    super();
    this.busy = false;
    this.message = '';
    this.failure = '';
  }

  private async submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const body = {
      email: String(data.get('email') ?? '').trim(),
      name: String(data.get('name') ?? '').trim(),
      password: String(data.get('password') ?? ''),
      role: 'admin' as const,
    };
    this.busy = true;
    this.failure = this.message = '';
    try {
      await this.api!.createUserIn(this.company!.id, body);
      this.message = `${body.name} can now sign in to ${this.company!.name} with ${body.email}.`;
      form.reset();
    } catch (error) {
      this.failure = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  override render(): TemplateResult {
    const name = this.company?.name ?? '';
    return html`
      ${this.failure ? html`<div class="error" role="alert">${this.failure}</div>` : nothing}
      ${this.message ? html`<div class="ok" role="status">${this.message}</div>` : nothing}
      <form part="form" aria-label=${`Add an admin to ${name}`} @submit=${this.submit}>
        <label>Email <input name="email" type="email" required maxlength="254" autocomplete="off" /></label>
        <label>Name <input name="name" required maxlength="120" autocomplete="off" /></label>
        <label>Password <input name="password" type="password" required minlength="8" maxlength="200" autocomplete="new-password" /></label>
        <button class="primary" type="submit" ?disabled=${this.busy}>Add admin</button>
      </form>
    `;
  }
}
