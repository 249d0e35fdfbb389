import { LitElement, html, nothing } from 'lit';
import type { SelectedProductCardComponent } from '../../protocol.js';
import { defaultStrings } from '../../i18n.js';
import { tokens } from '../../styles/tokens.js';
import { formatPrice } from '../product-carousel/price.js';
import { styles } from './selected-product-card.styles.js';

/**
 * A `selected_product_card` component: the product the visitor picked, with quantity, unit price
 * and total.
 *
 * @csspart card - The card.
 * @csspart name - The product's name.
 */
export class ParleySelectedProductCard extends LitElement {
  static override styles = [tokens, styles];
  static override properties = { product: { attribute: false }, locale: {}, strings: { attribute: false } };

  declare product: SelectedProductCardComponent['payload']['product'] | undefined;
  declare locale: string | undefined;
  declare strings: typeof defaultStrings;

  constructor() {
    super();
    this.strings = defaultStrings;
  }

  override render() {
    const p = this.product;
    if (!p) return nothing;
    const money = (n: number) => formatPrice(n, this.locale, p.currency);
    return html`<div part="card" class="card">
      <p part="name" class="name">${p.name}</p>
      <dl>
        <dt>${this.strings.quantity}</dt>
        <dd>${p.quantity} × ${money(p.price)}</dd>
        <dt class="total">${this.strings.total}</dt>
        <dd class="total">${money(p.total_price)}</dd>
      </dl>
    </div>`;
  }
}
