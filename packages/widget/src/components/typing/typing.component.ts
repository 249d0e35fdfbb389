import { LitElement, html } from 'lit';
import { tokens } from '../../styles/tokens.js';
import { styles } from './typing.styles.js';

/**
 * Three animated dots and a label: "Bot is thinking…" or "Dana is typing…". The dots stand still
 * when the visitor prefers reduced motion.
 *
 * @csspart dots - The bubble with the dots.
 * @csspart label - The text.
 */
export class ParleyTyping extends LitElement {
  static override styles = [tokens, styles];
  static override properties = { label: {} };

  declare label: string;

  constructor() {
    super();
    this.label = '';
  }

  override render() {
    return html`<span part="dots" class="dots" aria-hidden="true"><span></span><span></span><span></span></span>
      <span part="label">${this.label}</span>`;
  }
}
