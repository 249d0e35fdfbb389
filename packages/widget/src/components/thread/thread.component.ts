import { LitElement, html, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { ChatMessage } from '../../protocol.js';
import type { PendingMessage, StreamingReply, TypingInfo } from '../../client/types.js';
import { defaultStrings, format, type ParleyStrings } from '../../i18n.js';
import { tokens } from '../../styles/tokens.js';
import { answersOf } from './answers.js';
import { styles } from './thread.styles.js';

const MESSAGE_PARTS = 'avatar, meta, bubble, notice';

const escapeText = (text: string) => text.replace(/[&<>]/g, (ch) => (ch === '&' ? '&amp;' : ch === '<' ? '&lt;' : '&gt;'));

/**
 * The conversation: messages in order, then the visitor's unsent ones, then who is typing or
 * "Bot is thinking…". It is a `role="log"` live region, so screen readers announce new messages,
 * and it keeps itself scrolled to the newest one unless the visitor scrolled up to read.
 *
 * @csspart log - The list of messages.
 * @csspart avatar - Forwarded from each message (also meta, bubble, notice).
 * @csspart ended - The notice shown after the flow ended.
 */
export class ParleyThread extends LitElement {
  static override styles = [tokens, styles];
  static override properties = {
    messages: { attribute: false },
    pending: { attribute: false },
    typing: { attribute: false },
    thinking: { type: Boolean },
    streaming: { attribute: false },
    ended: { type: Boolean },
    locale: {},
    strings: { attribute: false },
    resolveUrl: { attribute: false },
  };

  declare messages: ChatMessage[];
  declare pending: PendingMessage[];
  declare typing: TypingInfo | undefined;
  declare thinking: boolean;
  /** An answer being written: shown as a growing bot message until the stored one replaces it. */
  declare streaming: StreamingReply | undefined;
  /** The flow reached its end: offer to start again. */
  declare ended: boolean;
  declare locale: string | undefined;
  declare strings: ParleyStrings;
  declare resolveUrl: (url: string) => string | undefined;
  private stick = true;
  private resize: ResizeObserver | undefined;

  constructor() {
    super();
    this.messages = [];
    this.pending = [];
    this.thinking = false;
    this.ended = false;
    this.strings = defaultStrings;
    this.resolveUrl = (url) => url;
    // Follow new messages unless the visitor scrolled up to read; content growing never unsticks.
    let lastTop = 0;
    this.addEventListener('scroll', () => {
      if (this.scrollHeight - this.scrollTop - this.clientHeight < 48) this.stick = true;
      else if (this.scrollTop < lastTop) this.stick = false;
      lastTop = this.scrollTop;
    });
  }

  /** Scrolls to the newest message. */
  scrollToEnd(): void {
    this.stick = true;
    this.scrollTop = this.scrollHeight;
  }

  override firstUpdated(): void {
    this.follow();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.follow();
  }

  /** Messages render after the thread does (and images load later): follow their growth. */
  private follow(): void {
    if (this.resize || typeof ResizeObserver !== 'function') return;
    this.resize = new ResizeObserver(() => {
      if (this.stick) this.scrollTop = this.scrollHeight;
    });
    this.resize.observe(this.renderRoot.querySelector('.log')!);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize?.disconnect();
    this.resize = undefined;
  }

  override updated(): void {
    if (this.stick) this.scrollTop = this.scrollHeight;
  }

  /** The answer being written, as plain text (escaped), in a bot bubble marked busy. */
  private renderStreaming() {
    if (!this.streaming) return nothing;
    const message: ChatMessage = {
      seq: Number.MAX_SAFE_INTEGER,
      id: this.streaming.id,
      role: 'bot',
      components: [{ type: 'text', payload: { text: escapeText(this.streaming.text) } }],
      created_at: new Date().toISOString(),
    };
    return html`<parley-message class="streaming" aria-busy="true" exportparts=${MESSAGE_PARTS} .message=${message} .locale=${this.locale} .strings=${this.strings} .resolveUrl=${this.resolveUrl}></parley-message>`;
  }

  private renderStatus() {
    if (this.streaming) return nothing;
    if (this.typing) {
      const name = this.typing.name ?? (this.typing.role === 'agent' ? this.strings.agent : this.strings.bot);
      return html`<parley-typing .label=${format(this.strings.typing, { name })}></parley-typing>`;
    }
    if (this.thinking && this.pending.length === 0) return html`<parley-typing .label=${this.strings.thinking}></parley-typing>`;
    return nothing;
  }

  override render() {
    const answers = answersOf(this.messages);
    let newestBot = -1;
    this.messages.forEach((m, i) => {
      if (m.role !== 'user') newestBot = i;
    });
    const newest = this.messages.length - 1;
    return html`<div part="log" class="log" role="log" aria-live="polite" aria-relevant="additions">
      ${repeat(
        this.messages,
        (m) => m.seq,
        (m, i) =>
          html`<parley-message
            exportparts=${MESSAGE_PARTS}
            .message=${m}
            ?active=${i === newestBot && i === newest && !this.ended && this.pending.length === 0}
            .answer=${answers[i]}
            .locale=${this.locale}
            .strings=${this.strings}
            .resolveUrl=${this.resolveUrl}
          ></parley-message>`,
      )}
      ${repeat(
        this.pending,
        (p) => p.id,
        (p) => html`<parley-message exportparts=${MESSAGE_PARTS} .pending=${p} .locale=${this.locale} .strings=${this.strings} .resolveUrl=${this.resolveUrl}></parley-message>`,
      )}
      ${this.renderStreaming()} ${this.renderStatus()}
      ${this.ended && !this.thinking && this.pending.length === 0 ? html`<div part="ended" class="end">${this.strings.ended}</div>` : nothing}
    </div>`;
  }
}
