import { define } from '../../define.js';
import { ParleySelectedProductCard } from './selected-product-card.component.js';

define('parley-selected-product-card', ParleySelectedProductCard);

declare global {
  interface HTMLElementTagNameMap {
    'parley-selected-product-card': ParleySelectedProductCard;
  }
}

export { ParleySelectedProductCard };
