import { LitElement, html } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import { sanitizeLightHtml } from '../../protocol.js';
import { tokens } from '../../styles/tokens.js';
import { styles } from './text.styles.js';

/**
 * A `text` component: light HTML (b, strong, i, em, u, br, p, ul, ol, li, links). The server
 * sanitizes it before sending; this element sanitizes it again with the same allowlist before it
 * reaches the DOM, so markup from anywhere else is shown as text, never run.
 *
 * @csspart text - The wrapper of the rendered text.
 */
export class ParleyText extends LitElement {
  static override styles = [tokens, styles];
  static override properties = { html: {} };

  /** The light HTML to show. */
  declare html: string;

  constructor() {
    super();
    this.html = '';
  }

  override render() {
    // dir=auto: each text reads in its own direction (an English reply inside an Arabic widget).
    return html`<div part="text" dir="auto">${unsafeHTML(sanitizeLightHtml(this.html))}</div>`;
  }
}
