import { LitElement, html } from 'lit';
import type { InputHint } from '../../client/types.js';
import { ParleySendEvent } from '../../events/parley-send.js';
import { ParleyTypingEvent } from '../../events/parley-typing.js';
import { Typing } from '../../protocol.js';
import { defaultStrings, type ParleyStrings } from '../../i18n.js';
import { tokens } from '../../styles/tokens.js';
import { styles } from './composer.styles.js';
import { hintsFor } from './hints.js';

const TYPING_IDLE_MS = 3000;
const MAX_CHARS = 4000;

/**
 * Where the visitor types. Follows the bot's `input` hint: the placeholder, and the keyboard and
 * autofill for an email, a phone number, a number or a one-time code. Enter sends.
 *
 * @fires parley-send - With the typed text.
 * @fires parley-typing - When the visitor starts typing (again every `Typing.refreshMs` while they go on), and when they stop for three seconds.
 * @csspart form - The row.
 * @csspart input - The text field.
 * @csspart send - The send button.
 */
export class ParleyComposer extends LitElement {
  static override styles = [tokens, styles];
  static override properties = { hint: { attribute: false }, strings: { attribute: false }, value: { state: true } };

  declare hint: InputHint | undefined;
  declare strings: ParleyStrings;
  declare private value: string;
  private typingTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the last `typing: on` went out: it is sent again every `Typing.refreshMs` while typing goes on. */
  private typingSentAt = 0;

  constructor() {
    super();
    this.strings = defaultStrings;
    this.value = '';
  }

  /** Moves focus to the text field. */
  /** Puts text in the field for the visitor to edit or send (replaces what was typed). */
  prefill(text: string): void {
    this.value = text;
  }

  override focus(): void {
    this.renderRoot.querySelector('input')?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.typingTimer);
  }

  private onInput(event: Event): void {
    this.value = (event.target as HTMLInputElement).value;
    const now = Date.now();
    if (this.typingTimer === undefined || now - this.typingSentAt >= Typing.refreshMs) {
      this.typingSentAt = now;
      this.dispatchEvent(new ParleyTypingEvent(true));
    }
    clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE_MS);
  }

  private stopTyping(): void {
    if (this.typingTimer === undefined) return;
    clearTimeout(this.typingTimer);
    this.typingTimer = undefined;
    this.dispatchEvent(new ParleyTypingEvent(false));
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    const text = this.value.trim();
    if (!text) return;
    this.stopTyping();
    this.value = '';
    this.dispatchEvent(new ParleySendEvent(text));
  }

  override render() {
    const hints = hintsFor(this.hint?.kind);
    return html`<form part="form" @submit=${this.onSubmit}>
      <input
        part="input"
        type=${hints.type}
        inputmode=${hints.inputmode}
        autocomplete=${hints.autocomplete}
        enterkeyhint="send"
        maxlength=${MAX_CHARS}
        aria-label=${this.hint?.placeholder || this.strings.placeholder}
        placeholder=${this.hint?.placeholder || this.strings.placeholder}
        .value=${this.value}
        @input=${this.onInput}
      />
      <button part="send" type="submit" aria-label=${this.strings.send} ?disabled=${!this.value.trim()}>
        <svg width="18" height="18" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M3 20.5 21 12 3 3.5v6.6l12 1.9-12 1.9z" /></svg>
      </button>
    </form>`;
  }
}
