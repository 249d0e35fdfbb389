import { LitElement, html } from 'lit';
import type { ButtonOption } from '../../protocol.js';
import { ParleyActionEvent } from '../../events/parley-action.js';
import { defaultStrings } from '../../i18n.js';
import { buttonStyles, tokens } from '../../styles/tokens.js';
import { styles } from './button-options.styles.js';

/**
 * A `button_options` component: one button per option. A click sends the option's value; the
 * group then shows the choice (`aria-pressed`) and disables itself.
 *
 * @fires parley-action - With the clicked option's value, shown as its label.
 * @csspart group - The row of buttons.
 * @csspart option - Each button.
 */
export class ParleyButtonOptions extends LitElement {
  static override styles = [tokens, buttonStyles, styles];
  static override properties = {
    options: { attribute: false },
    disabled: { type: Boolean, reflect: true },
    chosen: {},
    strings: { attribute: false },
  };

  declare options: ButtonOption[];
  /** Set once the conversation moved on, or an option was clicked. */
  declare disabled: boolean;
  /** The label of the option that was picked, if any. */
  declare chosen: string | undefined;
  declare strings: typeof defaultStrings;

  constructor() {
    super();
    this.options = [];
    this.disabled = false;
    this.strings = defaultStrings;
  }

  private pick(option: ButtonOption): void {
    if (this.disabled) return;
    this.chosen = option.label;
    this.disabled = true;
    this.dispatchEvent(new ParleyActionEvent(option.value, option.label));
  }

  override render() {
    return html`<div part="group" role="group" aria-label=${this.strings.options}>
      ${this.options.map(
        (option) =>
          html`<button
            part="option"
            class="btn"
            type="button"
            ?disabled=${this.disabled}
            aria-pressed=${this.chosen === option.label ? 'true' : 'false'}
            @click=${() => this.pick(option)}
          >
            ${option.label}
          </button>`,
      )}
    </div>`;
  }
}
