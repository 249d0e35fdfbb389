import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { Limits, type SavedReplyView } from '@parley/protocol';
import { controls } from '../../styles/shared.js';
import { SavedReplyPicker } from '../../controllers/saved-reply-picker.js';
import { ParleyReplyEvent } from '../../events/reply.js';
import { ParleyTypingEvent } from '../../events/typing.js';
import type { SavedRepliesStore } from '../../store/saved-replies-store.js';
import { styles } from './composer.styles.js';

/** The id of a saved reply's option in the list (for `aria-activedescendant`). */
const optionId = (reply: SavedReplyView) => `saved-reply-${reply.id}`;

/**
 * The agent's reply box. Enter sends, Shift+Enter starts a new line. While the agent types it
 * reports `typing` on, and off after a pause, on send, on blur, or when the conversation changes,
 * so the visitor sees "typing…" exactly while it is true.
 *
 * Saved replies: a draft of `/` and a shortcut opens a list of the replies that fit above the box
 * (a combobox: ↑/↓ choose, Enter, Tab or a click puts the reply's text in place of the draft, Esc
 * closes). While the list is closed, Enter sends as always.
 *
 * @event parley-reply - a reply to send (`detail.text`, trimmed, never empty)
 * @event parley-typing - the agent started or stopped typing (`detail.on`), on change only
 * @csspart form - the row holding the box and the button
 * @csspart input - the text box
 * @csspart send - the send button
 * @csspart hint - the keyboard hint under the box
 * @csspart saved-replies - the list of saved replies; `saved-reply` each of them
 */
export class ParleyComposer extends LitElement {
  static override styles = [controls, styles];
  static override properties = {
    placeholder: {},
    disabled: { type: Boolean, reflect: true },
    conversationId: { attribute: 'conversation-id' },
    idleMs: { type: Number, attribute: 'idle-ms' },
    savedReplies: { attribute: false },
    value: { state: true },
  };

  declare placeholder: string;
  declare disabled: boolean;
  /** The conversation being answered: a change stops the typing indicator of the previous one. */
  declare conversationId: string;
  /** How long a pause ends "typing", in milliseconds. */
  declare idleMs: number;
  /** The saved replies offered after `/`; without them the box is a plain reply box. */
  declare savedReplies: SavedRepliesStore | undefined;
  declare private value: string;
  private readonly picker = new SavedReplyPicker(this, (reply) => this.insert(reply.text));
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
    this.box?.focus();
  }

  private get box(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('savedReplies')) this.picker.use(this.savedReplies);
    if (changed.has('conversationId') && changed.get('conversationId')) {
      this.setTyping(false);
      this.value = '';
    }
    this.picker.follow(this.value);
  }

  protected override updated(): void {
    const list = this.renderRoot.querySelector<HTMLElement>('[part="saved-replies"]');
    const chosen = list?.querySelector<HTMLElement>('[aria-selected="true"]');
    if (!list || !chosen) return;
    if (chosen.offsetTop < list.scrollTop) list.scrollTop = chosen.offsetTop;
    else if (chosen.offsetTop + chosen.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = chosen.offsetTop + chosen.offsetHeight - list.clientHeight;
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

  /** Grows the box with its text, up to 160 px. */
  private fit(box: HTMLTextAreaElement): void {
    box.style.height = 'auto';
    box.style.height = `${Math.min(box.scrollHeight, 160)}px`;
  }

  private onInput(event: Event): void {
    const box = event.target as HTMLTextAreaElement;
    this.value = box.value;
    this.fit(box);
    this.setTyping(this.value.trim() !== '');
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.picker.keydown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      this.send();
    }
  }

  /** Replaces the `/shortcut` draft with a saved reply's text, ready to edit or send. */
  private async insert(text: string): Promise<void> {
    this.value = text;
    this.setTyping(true);
    await this.updateComplete;
    const box = this.box;
    if (!box) return;
    box.focus();
    box.setSelectionRange(text.length, text.length);
    this.fit(box);
  }

  private send(event?: Event): void {
    event?.preventDefault();
    const text = this.value.trim();
    if (!text || this.disabled) return;
    this.setTyping(false);
    this.dispatchEvent(new ParleyReplyEvent({ text }));
    this.value = '';
    const box = this.box;
    if (box) box.style.height = '';
  }

  override render(): TemplateResult {
    const options = this.disabled ? [] : this.picker.options;
    const chosen = this.picker.chosen;
    const open = options.length > 0;
    return html`
      <ul part="saved-replies" id="saved-replies" role="listbox" aria-label="Saved replies" ?hidden=${!open}>
        ${options.map(
          (reply) => html`<li
            part="saved-reply"
            id=${optionId(reply)}
            role="option"
            aria-selected=${reply === chosen ? 'true' : 'false'}
            data-shortcut=${reply.shortcut}
            @mousedown=${(e: MouseEvent) => e.preventDefault()}
            @click=${() => this.picker.choose(reply)}
          >
            <code>/${reply.shortcut}</code><span>${reply.text}</span>
          </li>`,
        )}
      </ul>
      <form part="form" @submit=${this.send}>
        <textarea
          part="input"
          rows="1"
          aria-label="Reply"
          role="combobox"
          aria-autocomplete="list"
          aria-haspopup="listbox"
          aria-controls="saved-replies"
          aria-expanded=${open ? 'true' : 'false'}
          aria-activedescendant=${open && chosen ? optionId(chosen) : nothing}
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
      <div part="hint">
        ${open
          ? '↑ ↓ to choose · Enter or Tab to insert · Esc to close'
          : `Enter to send · Shift+Enter for a new line${this.savedReplies ? ' · / for saved replies' : ''}`}
      </div>
    `;
  }
}
