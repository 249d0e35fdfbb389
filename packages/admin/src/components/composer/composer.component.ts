import { LitElement, html, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { Limits } from '@parley/protocol';
import { controls } from '../../styles/shared.js';
import { ParleyReplyEvent } from '../../events/reply.js';
import { ParleyTypingEvent } from '../../events/typing.js';
import { styles } from './composer.styles.js';

/**
 * The agent's reply box. Enter sends, Shift+Enter starts a new line. While the agent types it
 * reports `typing` on, and off after a pause, on send, on blur, or when the conversation changes,
 * so the visitor sees "typing…" exactly while it is true.
 *
 * @event parley-reply - a reply to send (`detail.text`, trimmed, never empty)
 * @event parley-typing - the agent started or stopped typing (`detail.on`), on change only
 * @csspart form - the row holding the box and the button
 * @csspart input - the text box
 * @csspart send - the send button
 * @csspart hint - the keyboard hint under the box
 */
export class ParleyComposer extends LitElement {
  static override styles = [controls, styles];
  static override properties = {
    placeholder: {},
    disabled: { type: Boolean, reflect: true },
    conversationId: { attribute: 'conversation-id' },
    idleMs: { type: Number, attribute: 'idle-ms' },
    value: { state: true },
  };

  declare placeholder: string;
  declare disabled: boolean;
  /** The conversation being answered: a change stops the typing indicator of the previous one. */
  declare conversationId: string;
  /** How long a pause ends "typing", in milliseconds. */
  declare idleMs: number;
  declare private value: string;
  private typing = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.placeholder = 'Write a reply…';
    this.disabled = false;
    this.conversationId = '';
    this.idleMs = 3000;
    this.value = '';
  }

  /** Puts the cursor in the box. */
  override focus(): void {
    this.renderRoot.querySelector('textarea')?.focus();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('conversationId') && changed.get('conversationId')) {
      this.setTyping(false);
      this.value = '';
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.setTyping(false);
  }

  private setTyping(on: boolean): void {
    clearTimeout(this.idleTimer);
    if (on) this.idleTimer = setTimeout(() => this.setTyping(false), this.idleMs);
    if (on === this.typing) return;
    this.typing = on;
    this.dispatchEvent(new ParleyTypingEvent({ on }));
  }

  private onInput(event: Event): void {
    const box = event.target as HTMLTextAreaElement;
    this.value = box.value;
    box.style.height = 'auto';
    box.style.height = `${Math.min(box.scrollHeight, 160)}px`;
    this.setTyping(this.value.trim() !== '');
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    }
  }

  private send(event?: Event): void {
    event?.preventDefault();
    const text = this.value.trim();
    if (!text || this.disabled) return;
    this.setTyping(false);
    this.dispatchEvent(new ParleyReplyEvent({ text }));
    this.value = '';
    const box = this.renderRoot.querySelector('textarea');
    if (box) box.style.height = '';
  }

  override render(): TemplateResult {
    return html`
      <form part="form" @submit=${this.send}>
        <textarea
          part="input"
          rows="1"
          aria-label="Reply"
          maxlength=${Limits.maxMessageChars}
          .value=${live(this.value)}
          placeholder=${this.placeholder}
          ?disabled=${this.disabled}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
          @blur=${() => this.setTyping(false)}
        ></textarea>
        <button part="send" class="primary" type="submit" ?disabled=${this.disabled || !this.value.trim()}>Send</button>
      </form>
      <div part="hint">Enter to send · Shift+Enter for a new line</div>
    `;
  }
}
