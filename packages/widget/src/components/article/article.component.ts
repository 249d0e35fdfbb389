import { LitElement, html, nothing } from 'lit';
import { tokens } from '../../styles/tokens.js';
import { styles } from './article.styles.js';

/**
 * An `article` component: a help article that answers the visitor, as a card with its title, the
 * passage that matched (plain text, never HTML) and a "Read the article" link to the help center.
 * Without an excerpt it is a citation: one link under an AI answer. Links open in a new tab.
 *
 * Loaded on demand (a feature chunk): most conversations never show one.
 *
 * @csspart card - The card (or the citation link's box).
 * @csspart title - The article's title.
 * @csspart excerpt - The matching passage.
 * @csspart link - The link to the help-center page.
 * @cssprop --parley-surface - Card background.
 * @cssprop --parley-border - Card border.
 * @cssprop --parley-primary - Link color.
 */
export class ParleyArticle extends LitElement {
  static override styles = [tokens, styles];
  static override properties = { heading: {}, excerpt: {}, href: {}, label: {} };

  /** The article's title. */
  declare heading: string;
  /** The passage that answers, plain text; empty for a citation. */
  declare excerpt: string;
  /** The help-center page (already resolved against the server); no link when unset. */
  declare href: string | undefined;
  /** The link's text on a card. */
  declare label: string;

  constructor() {
    super();
    this.heading = '';
    this.excerpt = '';
    this.href = undefined;
    this.label = 'Read the article';
  }

  override render() {
    if (!this.excerpt) {
      return html`<div part="card" class="cite">${this.href ? html`<a part="link title" href=${this.href} target="_blank" rel="noopener noreferrer">${this.heading}</a>` : html`<span part="title">${this.heading}</span>`}</div>`;
    }
    return html`<article part="card" class="card">
      <p part="title" class="title">${this.heading}</p>
      <p part="excerpt" class="excerpt">${this.excerpt}</p>
      ${this.href ? html`<a part="link" href=${this.href} target="_blank" rel="noopener noreferrer">${this.label}</a>` : nothing}
    </article>`;
  }
}
