import { LitElement, html, nothing } from 'lit';
import type { ChatMessage } from '../../protocol.js';
import type { PendingMessage } from '../../client/types.js';
import { ParleyRetryEvent } from '../../events/parley-retry.js';
import { defaultStrings, type ParleyStrings } from '../../i18n.js';
import { tokens } from '../../styles/tokens.js';
import { styles } from './message.styles.js';
import { renderComponent } from './render-component.js';

const absolute = (url: string) => (/^https?:\/\//i.test(url) ? url : undefined);

/**
 * One message: a bot or agent bubble with avatar, name and time; the visitor's own bubble; or a
 * system notice (hand-off). Renders each component with its element and skips unknown types.
 * A message still in the outbox (`pending`) shows "Sending…" or "Not sent. Retry".
 *
 * @fires parley-retry - When the visitor retries a message that was not sent.
 * @csspart avatar - The author's avatar or initial.
 * @csspart meta - Name and time.
 * @csspart bubble - A text bubble.
 * @csspart notice - A system notice.
 * @cssprop --parley-primary - The visitor's bubble and the avatar.
 * @cssprop --parley-surface-2 - Bot and agent bubbles.
 */
export class ParleyMessage extends LitElement {
  static override styles = [tokens, styles];
  static override properties = {
    message: { attribute: false },
    pending: { attribute: false },
    active: { type: Boolean },
    answer: {},
    locale: {},
    strings: { attribute: false },
    resolveUrl: { attribute: false },
    roleName: { attribute: 'role-name', reflect: true },
  };

  declare message: ChatMessage | undefined;
  /** Set for a message not acknowledged yet. */
  declare pending: PendingMessage | undefined;
  declare active: boolean;
  declare answer: string | undefined;
  declare locale: string | undefined;
  declare strings: ParleyStrings;
  declare resolveUrl: (url: string) => string | undefined;
  /** Reflected for styling: `user`, `bot`, `agent` or `system`. */
  declare roleName: string;

  constructor() {
    super();
    this.active = false;
    this.strings = defaultStrings;
    this.resolveUrl = absolute;
    this.roleName = 'bot';
  }

  override willUpdate(): void {
    this.roleName = this.pending ? 'user' : (this.message?.role ?? 'bot');
    this.toggleAttribute('pending', !!this.pending);
  }

  private time(iso: string) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return nothing;
    let text: string;
    try {
      text = date.toLocaleTimeString(this.locale, { hour: 'numeric', minute: '2-digit' });
    } catch {
      text = date.toISOString().slice(11, 16);
    }
    return html`<time datetime=${iso}>${text}</time>`;
  }

  private renderPendingStatus(pending: PendingMessage) {
    if (pending.state === 'failed') {
      return html`<span class="status failed" role="status"
        >${this.strings.notSent} ${pending.error ?? ''}
        <button class="link" type="button" @click=${() => this.dispatchEvent(new ParleyRetryEvent(pending.id))}>${this.strings.retry}</button></span
      >`;
    }
    return html`<span class="status">${this.strings.sending}</span>`;
  }

  override render() {
    const ctx = { active: this.active, answer: this.answer, locale: this.locale, strings: this.strings, resolveUrl: this.resolveUrl };
    const components = this.pending?.shown ?? this.message?.components ?? [];
    const parts = components.map((c) => renderComponent(c, ctx));
    const role = this.roleName;
    if (role === 'system') {
      return html`<div part="notice" class="notice">${parts}</div>`;
    }
    const message = this.message;
    const name = role === 'user' ? this.strings.you : (message?.author?.name ?? (role === 'agent' ? this.strings.agent : this.strings.bot));
    const avatarUrl = message?.author?.avatar_url ? this.resolveUrl(message.author.avatar_url) : undefined;
    const avatar =
      role === 'user'
        ? nothing
        : avatarUrl
          ? html`<img part="avatar" class="avatar" src=${avatarUrl} alt="" />`
          : html`<span part="avatar" class="avatar" aria-hidden="true">${name.slice(0, 1).toUpperCase()}</span>`;
    return html`${avatar}
      <div class="body">
        <div part="meta" class="meta">
          <span class=${role === 'user' ? 'sr-only' : ''}>${name}</span>${message ? this.time(message.created_at) : nothing}
        </div>
        ${parts} ${this.pending ? this.renderPendingStatus(this.pending) : nothing}
      </div>`;
  }
}
