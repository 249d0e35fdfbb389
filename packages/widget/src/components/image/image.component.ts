import { LitElement, html, nothing } from 'lit';
import { tokens } from '../../styles/tokens.js';
import { styles } from './image.styles.js';

/**
 * An `image` component. `src` must already be absolute (`<parley-message>` resolves
 * server-relative URLs such as `/uploads/<id>` against the server); anything but http(s) is not shown.
 * Opens full size in a new tab.
 *
 * @csspart link - The link around the image.
 * @csspart image - The `<img>`.
 */
export class ParleyImage extends LitElement {
  static override styles = [tokens, styles];
  static override properties = { src: {}, alt: {} };

  declare src: string;
  declare alt: string;

  constructor() {
    super();
    this.src = '';
    this.alt = '';
  }

  override render() {
    if (!/^https?:\/\//i.test(this.src)) return nothing;
    return html`<a part="link" href=${this.src} target="_blank" rel="noopener noreferrer"
      ><img part="image" src=${this.src} alt=${this.alt} loading="lazy" decoding="async"
    /></a>`;
  }
}
