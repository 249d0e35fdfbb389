import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { User } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { TaskController } from '../../controllers/task-controller.js';
import { controls, screen } from '../../styles/shared.js';
import { styles } from './agents-view.styles.js';

/**
 * The company's people (admins): who is online, add an agent or admin, change a role, disable or
 * re-enable an account. A disabled account cannot sign in; its history stays.
 *
 * @csspart header - the title
 * @csspart list - the people; `agent` each person
 * @csspart add - the form that adds a person
 */
export class ParleyAgentsView extends LitElement {
  static override styles = [controls, screen, styles];
  static override properties = {
    api: { attribute: false },
    me: {},
    online: { attribute: false },
    message: { state: true },
    failure: { state: true },
  };

  declare api: ApiClient | undefined;
  /** The signed-in user's id (they cannot disable themselves). */
  declare me: string;
  /** Ids of the agents online now. */
  declare online: ReadonlySet<string>;
  declare private message: string;
  declare private failure: string;
  private readonly task = new TaskController<User[]>(this, async () => (await this.api!.users()).users);

  constructor() {
    super();
    this.me = '';
    this.online = new Set();
    this.message = '';
    this.failure = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.task.reload();
  }

  private async run(what: () => Promise<unknown>, done: string): Promise<boolean> {
    this.failure = this.message = '';
    try {
      await what();
      this.message = done;
      await this.task.reload();
      return true;
    } catch (error) {
      this.failure = errorMessage(error);
      return false;
    }
  }

  private async add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const body = {
      name: String(data.get('name') ?? '').trim(),
      email: String(data.get('email') ?? '').trim(),
      password: String(data.get('password') ?? ''),
      role: data.get('role') === 'admin' ? ('admin' as const) : ('agent' as const),
    };
    if (await this.run(() => this.api!.createUser(body), `${body.name} can now sign in with ${body.email}.`)) form.reset();
  }

  private row(user: User): TemplateResult {
    const self = user.id === this.me;
    const canEdit = !self && user.role !== 'owner';
    return html`<li part="agent" class=${user.disabled ? 'disabled' : ''} data-email=${user.email}>
      <span class="dot ${this.online.has(user.id) ? 'online' : ''}" title=${this.online.has(user.id) ? 'Online' : 'Offline'}></span>
      <div class="who">
        <strong>${user.name}${self ? ' (you)' : ''}</strong>
        <span>${user.email} · ${user.role}${user.disabled ? ' · disabled' : ''}</span>
      </div>
      ${canEdit
        ? html`<select aria-label=${`Role of ${user.name}`} .value=${user.role} @change=${(e: Event) => this.run(() => this.api!.updateUser(user.id, { role: (e.target as HTMLSelectElement).value as 'admin' | 'agent' }), `${user.name} is now ${(e.target as HTMLSelectElement).value}.`)}>
              <option value="agent">Agent</option>
              <option value="admin">Admin</option>
            </select>
            <button class=${user.disabled ? '' : 'danger'} data-action="toggle" @click=${() => this.run(() => this.api!.updateUser(user.id, { disabled: !user.disabled }), `${user.name} is ${user.disabled ? 'enabled' : 'disabled'}.`)}>
              ${user.disabled ? 'Enable' : 'Disable'}
            </button>`
        : nothing}
    </li>`;
  }

  override render(): TemplateResult {
    const users = this.task.value ?? [];
    return html`
      <div part="header"><h1>Agents</h1><span class="muted">${users.filter((u) => !u.disabled).length} active</span></div>
      <div part="body">
        ${this.failure ? html`<div class="error" role="alert">${this.failure}</div>` : nothing}
        ${this.message ? html`<div class="ok" role="status">${this.message}</div>` : nothing}
        ${this.task.error ? html`<div class="error" role="alert">${this.task.error}</div>` : nothing}
        <div class="card"><ul part="list">${users.map((user) => this.row(user))}</ul>${this.task.running && !this.task.value ? html`<p class="muted">Loading…</p>` : nothing}</div>
        <form part="add" class="card" @submit=${this.add}>
          <h2>Add a person</h2>
          <label>Name <input name="name" required maxlength="120" autocomplete="off" /></label>
          <label>Email <input name="email" type="email" required maxlength="254" autocomplete="off" /></label>
          <label>Password <input name="password" type="password" required minlength="8" maxlength="200" autocomplete="new-password" /></label>
          <label>Role
            <select name="role"><option value="agent">Agent</option><option value="admin">Admin</option></select>
          </label>
          <button class="primary" type="submit">Add</button>
        </form>
      </div>
    `;
  }
}
