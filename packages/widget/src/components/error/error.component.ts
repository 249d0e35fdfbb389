import { LitElement, html } from 'lit';
import { tokens } from '../../styles/tokens.js';
import { styles } from './error.styles.js';

/**
 * An `error` component: what was wrong with the visitor's answer, in plain text (never HTML),
 * announced at once (`role="alert"`).
 *
 * @csspart error - The alert box.
 * @cssprop --parley-error - Text and border color.
 * @cssprop --parley-error-bg - Background.
 */
export class ParleyError extends LitElement {
  static override styles = [tokens, styles];
  static override properties = { text: {} };

  /** The plain-text message. */
  declare text: string;

  constructor() {
    super();
    this.text = '';
  }

  override render() {
    return html`<div part="error" role="alert">
      <svg width="14" height="14" viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="7" fill="none" stroke="currentColor" stroke-width="2" /><path d="M8 4v5M8 11v1" stroke="currentColor" stroke-width="2" /></svg>
      <span>${this.text}</span>
    </div>`;
  }
}
