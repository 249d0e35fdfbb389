import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { SavedReplyView } from '@parley/protocol';
import { errorMessage } from '../../api/errors.js';
import { StoreController } from '../../controllers/store-controller.js';
import type { SavedRepliesStore } from '../../store/saved-replies-store.js';
import { controls, row } from '../../styles/shared.js';
import { styles } from './saved-replies-settings.styles.js';

/** What a shortcut may be, as the server checks it (for the browser's own check first). */
const SHORTCUT_PATTERN = '[a-z0-9][a-z0-9_\\-]*';
const SHORTCUT_RULE = 'Lowercase letters, digits, - and _, starting with a letter or digit (up to 32).';

/** What the admin is asked before a saved reply is deleted. */
export function deleteQuestion(reply: Pick<SavedReplyView, 'shortcut'>): string {
  return `Delete the saved reply /${reply.shortcut}? Agents can no longer insert it.`;
}

/** The shortcut and text of a saved-reply form, trimmed (a `/` typed before the shortcut is dropped). */
export function readSavedReplyForm(form: HTMLFormElement): { shortcut: string; text: string } {
  const data = new FormData(form);
  return { shortcut: String(data.get('shortcut') ?? '').trim().replace(/^\//, ''), text: String(data.get('text') ?? '').trim() };
}

/**
 * Saved replies (admins): the company's canned answers, each with the shortcut agents type after
 * `/` in the reply box; add one, edit one in place, delete one after a confirmation. Changes go
 * through the session's store, so the composer in this tab offers them at once.
 *
 * @csspart list - the replies; `reply` each of them, `edit` the form of the one being edited
 * @csspart add - the form that adds a reply
 */
export class ParleySavedRepliesSettings extends LitElement {
  static override styles = [controls, row, styles];
  static override properties = {
    store: { attribute: false },
    editing: { state: true },
    busy: { state: true },
    message: { state: true },
    failure: { state: true },
  };

  declare store: SavedRepliesStore | undefined;
  /** The id of the reply being edited. */
  declare private editing: string | undefined;
  declare private busy: boolean;
  declare private message: string;
  declare private failure: string;
  private readonly stores = new StoreController(this);

  constructor() {
    super();
    this.busy = false;
    this.message = '';
    this.failure = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('store') && this.store) {
      this.stores.watch(this.store);
      // Settings shows what the server has now (another admin may have changed it).
      void this.store.reload();
    }
  }

  /** Runs a change; true when it worked (its message shown), false with the server's reason shown. */
  private async act(work: (store: SavedRepliesStore) => Promise<unknown>, done: string): Promise<boolean> {
    this.message = this.failure = '';
    this.busy = true;
    try {
      await work(this.store!);
      this.message = done;
      return true;
    } catch (error) {
      this.failure = errorMessage(error);
      return false;
    } finally {
      this.busy = false;
    }
  }

  private async add(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const body = readSavedReplyForm(form);
    if (await this.act((store) => store.create(body), `Saved reply /${body.shortcut} added.`)) form.reset();
  }

  private async save(event: SubmitEvent, reply: SavedReplyView): Promise<void> {
    event.preventDefault();
    const { shortcut, text } = readSavedReplyForm(event.target as HTMLFormElement);
    const body = { ...(shortcut !== reply.shortcut ? { shortcut } : {}), ...(text !== reply.text ? { text } : {}) };
    if (!Object.keys(body).length || (await this.act((store) => store.update(reply.id, body), `Saved reply /${shortcut} saved.`))) this.editing = undefined;
  }

  private confirmDelete(reply: SavedReplyView): void {
    if (!confirm(deleteQuestion(reply))) return;
    void this.act((store) => store.remove(reply.id), `Saved reply /${reply.shortcut} deleted.`);
  }

  private fields(reply?: SavedReplyView): TemplateResult {
    return html`
      <label>Shortcut
        <span class="shortcut">
          <span aria-hidden="true">/</span>
          <input name="shortcut" required maxlength="32" pattern=${SHORTCUT_PATTERN} title=${SHORTCUT_RULE} autocomplete="off" autocapitalize="none" spellcheck="false" placeholder="refund" .value=${reply?.shortcut ?? ''} />
        </span>
      </label>
      <label>Text <textarea name="text" required maxlength="2000" placeholder="Refunds reach your account within 5 working days." .value=${reply?.text ?? ''}></textarea></label>
    `;
  }

  private item(reply: SavedReplyView): TemplateResult {
    if (this.editing === reply.id) {
      return html`<li part="reply" data-shortcut=${reply.shortcut}>
        <form part="edit" @submit=${(e: SubmitEvent) => this.save(e, reply)}>
          ${this.fields(reply)}
          <div class="row">
            <button class="primary" type="submit" ?disabled=${this.busy}>Save</button>
            <button type="button" data-action="cancel" @click=${() => (this.editing = undefined)}>Cancel</button>
          </div>
        </form>
      </li>`;
    }
    return html`<li part="reply" data-shortcut=${reply.shortcut}>
      <code>/${reply.shortcut}</code>
      <p class="text">${reply.text}</p>
      <div class="row actions">
        <button data-action="edit" ?disabled=${this.busy} @click=${() => ((this.editing = reply.id), (this.message = this.failure = ''))}>Edit</button>
        <button class="danger" data-action="delete" ?disabled=${this.busy} @click=${() => this.confirmDelete(reply)}>Delete</button>
      </div>
    </li>`;
  }

  override render(): TemplateResult {
    const store = this.store;
    const replies = store?.replies ?? [];
    const failure = this.failure || store?.error;
    return html`<section class="card">
      <h2>Saved replies</h2>
      <p class="muted">Canned answers for your agents: in the reply box they type <code>/</code> and the shortcut, then pick the reply with Enter, Tab or a click.</p>
      ${failure ? html`<div class="error" role="alert">${failure}</div>` : nothing}
      ${this.message ? html`<div class="ok" role="status">${this.message}</div>` : nothing}
      ${store?.loaded && !replies.length ? html`<p class="muted">No saved replies yet.</p>` : nothing}
      ${!store?.loaded && store?.running ? html`<p class="muted">Loading…</p>` : nothing}
      ${replies.length ? html`<ul part="list">${replies.map((reply) => this.item(reply))}</ul>` : nothing}
      <form part="add" @submit=${this.add}>
        <h3>Add a saved reply</h3>
        ${this.fields()}
        <p class="muted hint">${SHORTCUT_RULE}</p>
        <div class="row"><button class="primary" type="submit" ?disabled=${this.busy}>Add saved reply</button></div>
      </form>
    </section>`;
  }
}
