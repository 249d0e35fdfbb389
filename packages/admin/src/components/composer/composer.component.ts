import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { Limits, Typing, type SavedReplyView } from '@parley/protocol';
import { controls } from '../../styles/shared.js';
import { SavedReplyPicker } from '../../controllers/saved-reply-picker.js';
import { icons } from '../../lib/icons.js';
import { ParleyNoteEvent } from '../../events/note.js';
import { ParleyReplyEvent } from '../../events/reply.js';
import { ParleyTypingEvent } from '../../events/typing.js';
import type { SavedRepliesStore } from '../../store/saved-replies-store.js';
import { styles } from './composer.styles.js';

/** The id of a saved reply's option in the list (for `aria-activedescendant`). */
const optionId = (reply: SavedReplyView) => `saved-reply-${reply.id}`;

/** What the box writes: a reply the visitor gets, or an internal note only agents see. */
export type ComposerMode = 'reply' | 'note';

/** The box's placeholder in Note mode. */
export const NOTE_PLACEHOLDER = 'The visitor will not see this note…';

/**
 * The agent's reply box. Enter sends, Shift+Enter starts a new line. While the agent types it
 * reports `typing` on, and off after a pause, on send, on blur, or when the conversation changes,
 * so the visitor sees "typing…" exactly while it is true.
 *
 * Saved replies: a draft of `/` and a shortcut opens a list of the replies that fit above the box
 * (a combobox: ↑/↓ choose, Enter, Tab or a click puts the reply's text in place of the draft, Esc
 * closes). While the list is closed, Enter sends as always.
 *
 * Notes: a Reply | Note switch (a radio group: Tab to it, arrows to switch) above the box. In Note
 * mode the box turns amber and Enter adds an internal note instead (`parley-note`): no typing is
 * reported, no saved-reply list opens, and `disabled` (replies off) does not apply, since any
 * agent may note any conversation. The mode stays Note after a note is added, so a second thought
 * cannot reach the visitor by mistake, and goes back to Reply when the conversation changes.
 *
 * @event parley-reply - a reply to send (`detail.text`, trimmed, never empty)
 * @event parley-note - an internal note to add (`detail.text`, trimmed, never empty)
 * @event parley-typing - the agent started or stopped typing (`detail.on`), on change only; never in Note mode
 * @csspart modes - the Reply | Note switch; `mode` each of its two options
 * @csspart form - the row holding the box and the button
 * @csspart input - the text box
 * @csspart send - the send (or "Add note") button
 * @csspart hint - the keyboard hint under the box
 * @csspart saved-replies - the list of saved replies; `saved-reply` each of them
 * @cssprop --parley-note-soft - the composer's background in Note mode (`--parley-note-border` its border)
 * @cssprop --parley-note - the "Add note" button (text: `--parley-note-text`)
 */
export class ParleyComposer extends LitElement {
  static override styles = [controls, styles];
  static override properties = {
    placeholder: {},
    disabled: { type: Boolean, reflect: true },
    mode: { reflect: true },
    conversationId: { attribute: 'conversation-id' },
    idleMs: { type: Number, attribute: 'idle-ms' },
    savedReplies: { attribute: false },
    value: { state: true },
  };

  /** The box's placeholder in Reply mode. */
  declare placeholder: string;
  /** Replies are off (a colleague's chat, a closed one); notes can still be written. */
  declare disabled: boolean;
  /** What Enter sends: a reply or an internal note (reflected, for styling). */
  declare mode: ComposerMode;
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
  private typingSentAt = 0;

  constructor() {
    super();
    this.placeholder = 'Write a reply…';
    this.disabled = false;
    this.mode = 'reply';
    this.conversationId = '';
    this.idleMs = 3000;
    this.value = '';
  }

  /** Puts the cursor in the box. */
  override focus(): void {
    this.box?.focus();
  }

  /** Switches to a mode and puts the cursor in the box (the `n` shortcut opens Note mode). */
  async write(mode: ComposerMode): Promise<void> {
    this.setMode(mode);
    await this.updateComplete;
    this.focus();
  }

  /** Puts a note that could not be added back in the box (Note mode), unless the agent typed something else meanwhile. */
  restoreNote(text: string): void {
    if (this.value.trim()) return;
    this.setMode('note');
    this.value = text;
  }

  /** Whether Enter may send now: notes always, replies unless they are off. */
  private get canSend(): boolean {
    return this.mode === 'note' || !this.disabled;
  }

  private get box(): HTMLTextAreaElement | null {
    return this.renderRoot.querySelector('textarea');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('savedReplies')) this.picker.use(this.savedReplies);
    if (changed.has('conversationId') && changed.get('conversationId')) {
      this.setTyping(false);
      this.value = '';
      this.mode = 'reply';
    }
    if (changed.has('mode') && this.mode === 'note') this.setTyping(false);
    this.picker.follow(this.mode === 'note' ? '' : this.value);
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
    if (this.mode === 'note') on = false;
    clearTimeout(this.idleTimer);
    if (on) this.idleTimer = setTimeout(() => this.setTyping(false), this.idleMs);
    // Still typing: said again every `Typing.refreshMs`, as a "typing…" expires unless refreshed.
    const now = Date.now();
    if (on === this.typing && !(on && now - this.typingSentAt >= Typing.refreshMs)) return;
    this.typing = on;
    if (on) this.typingSentAt = now;
    this.dispatchEvent(new ParleyTypingEvent({ on }));
  }

  private setMode(mode: ComposerMode): void {
    this.mode = mode;
    if (mode === 'note') this.setTyping(false);
  }

  /** A pointer click on Reply or Note puts the cursor in the box; arrow keys (clicks of detail 0) keep it on the switch. */
  private onModeClick(event: MouseEvent, mode: ComposerMode): void {
    if (event.detail > 0) void this.write(mode);
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
    if (!text || !this.canSend) return;
    this.setTyping(false);
    this.dispatchEvent(this.mode === 'note' ? new ParleyNoteEvent({ text }) : new ParleyReplyEvent({ text }));
    this.value = '';
    const box = this.box;
    if (box) box.style.height = '';
  }

  /** The Reply | Note switch: native radios, so Tab reaches it and the arrows switch. */
  private modes(): TemplateResult {
    const option = (mode: ComposerMode, label: TemplateResult | string) => html`<label part="mode" data-mode=${mode}>
      <input type="radio" name="mode" value=${mode} .checked=${live(this.mode === mode)} @change=${() => this.setMode(mode)} @click=${(e: MouseEvent) => this.onModeClick(e, mode)} />
      <span>${label}</span>
    </label>`;
    return html`<div part="modes" role="radiogroup" aria-label="Write a reply or an internal note">
      ${option('reply', 'Reply')} ${option('note', html`${icons.lock} Note`)}
      ${this.mode === 'note' ? html`<span class="only-agents">Only agents see notes</span>` : nothing}
    </div>`;
  }

  override render(): TemplateResult {
    const note = this.mode === 'note';
    const options = note || this.disabled ? [] : this.picker.options;
    const chosen = this.picker.chosen;
    const open = options.length > 0;
    return html`
      ${this.modes()}
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
          aria-label=${note ? 'Internal note' : 'Reply'}
          role=${note ? nothing : 'combobox'}
          aria-autocomplete=${note ? nothing : 'list'}
          aria-haspopup=${note ? nothing : 'listbox'}
          aria-controls=${note ? nothing : 'saved-replies'}
          aria-expanded=${note ? nothing : open ? 'true' : 'false'}
          aria-activedescendant=${open && chosen ? optionId(chosen) : nothing}
          maxlength=${Limits.maxMessageChars}
          .value=${live(this.value)}
          placeholder=${note ? NOTE_PLACEHOLDER : this.placeholder}
          ?disabled=${!this.canSend}
          @input=${this.onInput}
          @keydown=${this.onKeyDown}
          @blur=${() => this.setTyping(false)}
        ></textarea>
        <button part="send" class="primary" type="submit" ?disabled=${!this.canSend || !this.value.trim()}>${note ? 'Add note' : 'Send'}</button>
      </form>
      <div part="hint">
        ${open
          ? '↑ ↓ to choose · Enter or Tab to insert · Esc to close'
          : note
            ? 'Enter to add the note · Shift+Enter for a new line'
            : `Enter to send · Shift+Enter for a new line${this.savedReplies ? ' · / for saved replies' : ''}`}
      </div>
    `;
  }
}
