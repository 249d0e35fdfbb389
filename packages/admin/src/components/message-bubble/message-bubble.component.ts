import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { ChatMessage } from '@parley/protocol';
import { clock } from '../../lib/format.js';
import { ParleyRetryEvent } from '../../events/retry.js';
import { styles } from './message-bubble.styles.js';

const AUTHOR: Record<ChatMessage['role'], string> = { user: 'Visitor', bot: 'Bot', agent: 'Agent', system: '' };

/**
 * One message of a conversation: visitor messages on the left, agent and bot messages on the
 * right (bot ones in grey), system notices centred. Every component of the message is shown
 * read-only. A reply not stored yet is faded; a failed one is outlined and offers "Retry".
 *
 * @event parley-retry - the agent asked to resend a failed reply (`detail.clientId`)
 * @csspart author - the name above the bubble
 * @csspart bubble - the bubble
 * @csspart meta - time and delivery state under the bubble
 * @csspart retry - the retry link of a failed reply
 * @cssprop --parley-bubble-user - visitor bubble background
 * @cssprop --parley-bubble-agent - agent bubble background (text: --parley-bubble-agent-text)
 * @cssprop --parley-bubble-bot - bot bubble background
 */
export class ParleyMessageBubble extends LitElement {
  static override styles = styles;
  static override properties = {
    message: { attribute: false },
    state: { reflect: true },
    clientId: { attribute: 'client-id' },
    showAuthor: { type: Boolean, attribute: 'show-author' },
    error: {},
  };

  /** The message to show. */
  declare message: ChatMessage | undefined;
  /** Delivery state of the agent's own reply: '' (stored), `sending` or `failed`. */
  declare state: '' | 'sending' | 'failed';
  /** The client id of a pending reply, sent back with `parley-retry`. */
  declare clientId: string;
  /** Whether to show the author's name (the first of a run of messages by the same author). */
  declare showAuthor: boolean;
  /** Why a failed reply failed. */
  declare error: string;

  constructor() {
    super();
    this.state = '';
    this.clientId = '';
    this.showAuthor = true;
    this.error = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('message') && this.message) this.setAttribute('role-name', this.message.role);
  }

  private retry(): void {
    this.dispatchEvent(new ParleyRetryEvent({ clientId: this.clientId }));
  }

  override render(): TemplateResult | typeof nothing {
    const m = this.message;
    if (!m) return nothing;
    const author = m.author?.name ?? AUTHOR[m.role];
    return html`
      ${this.showAuthor && author && m.role !== 'system' ? html`<div part="author">${author}</div>` : nothing}
      <div part="bubble">${m.components.map((component) => html`<parley-component-view .component=${component}></parley-component-view>`)}</div>
      ${m.role === 'system'
        ? nothing
        : html`<div part="meta">
            ${this.state === 'sending' ? 'Sending…' : this.state === 'failed' ? html`<span>Not sent${this.error ? `: ${this.error}` : ''}</span><button part="retry" @click=${this.retry}>Retry</button>` : html`<time datetime=${m.created_at}>${clock(m.created_at)}</time>`}
            ${m.status === 'error' ? html`<span>reply failed</span>` : nothing}
          </div>`}
    `;
  }
}
