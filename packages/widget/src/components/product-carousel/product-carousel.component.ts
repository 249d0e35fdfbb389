import { LitElement, html, nothing } from 'lit';
import type { CarouselProduct } from '../../protocol.js';
import { ParleyActionEvent } from '../../events/parley-action.js';
import { defaultStrings } from '../../i18n.js';
import { tokens } from '../../styles/tokens.js';
import { formatPrice } from './price.js';
import { styles } from './product-carousel.styles.js';

/**
 * A `product_carousel` component: a scroll-snapping row of product cards. Arrow keys move between
 * cards (Home and End jump to the ends, mirrored in right-to-left pages); Enter, Space or a click
 * picks one and sends its index.
 *
 * @fires parley-action - With the picked product's index (as a string), shown as its name.
 * @csspart list - The scrolling row.
 * @csspart product - Each card (a button).
 * @csspart product-image - A card's image.
 */
export class ParleyProductCarousel extends LitElement {
  static override styles = [tokens, styles];
  static override properties = {
    products: { attribute: false },
    disabled: { type: Boolean, reflect: true },
    chosen: {},
    locale: {},
    strings: { attribute: false },
    resolveUrl: { attribute: false },
    focused: { state: true },
  };

  declare products: CarouselProduct[];
  declare disabled: boolean;
  /** The name of the product that was picked, if any. */
  declare chosen: string | undefined;
  declare locale: string | undefined;
  declare strings: typeof defaultStrings;
  /** Makes image URLs absolute (server-relative ones); images it refuses are not shown. */
  declare resolveUrl: (url: string) => string | undefined;
  declare private focused: number;

  constructor() {
    super();
    this.products = [];
    this.disabled = false;
    this.strings = defaultStrings;
    this.resolveUrl = (url) => (/^https?:\/\//i.test(url) ? url : undefined);
    this.focused = 0;
  }

  private pick(product: CarouselProduct): void {
    if (this.disabled) return;
    this.chosen = product.name;
    this.disabled = true;
    this.dispatchEvent(new ParleyActionEvent(String(product.index), product.name));
  }

  private onKey(event: KeyboardEvent): void {
    const rtl = getComputedStyle(this).direction === 'rtl';
    const last = this.products.length - 1;
    const step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1, ArrowDown: 1, ArrowUp: -1 }[event.key];
    let next = step === undefined ? undefined : Math.min(last, Math.max(0, this.focused + step));
    if (event.key === 'Home') next = 0;
    if (event.key === 'End') next = last;
    if (next === undefined) return;
    event.preventDefault();
    this.focused = next;
    void this.updateComplete.then(() => {
      const card = this.renderRoot.querySelectorAll<HTMLButtonElement>('.card')[next];
      card?.focus();
      card?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    });
  }

  override render() {
    const money = (n: number, currency?: string) => formatPrice(n, this.locale, currency);
    return html`<ul part="list" aria-label=${this.strings.products} @keydown=${this.onKey}>
      ${this.products.map((p, i) => {
        const image = p.image ? this.resolveUrl(p.image) : undefined;
        return html`<li>
          <button
            part="product"
            class="card"
            type="button"
            tabindex=${i === this.focused ? 0 : -1}
            ?disabled=${this.disabled}
            aria-pressed=${this.chosen === p.name ? 'true' : 'false'}
            aria-label="${p.name}, ${this.strings.quantity} ${p.quantity}, ${money(p.price, p.currency)}"
            @click=${() => this.pick(p)}
            @focus=${() => (this.focused = i)}
          >
            ${image ? html`<img part="product-image" src=${image} alt="" loading="lazy" />` : nothing}
            <span class="name">${p.name}</span>
            ${p.description ? html`<span class="meta" part="product-description">${p.description}</span>` : nothing}
            <span class="meta">${this.strings.quantity}: ${p.quantity}</span>
            <span class="meta">${money(p.price, p.currency)}</span>
            ${this.disabled ? nothing : html`<span class="select" aria-hidden="true">${this.strings.select} →</span>`}
          </button>
        </li>`;
      })}
    </ul>`;
  }
}
