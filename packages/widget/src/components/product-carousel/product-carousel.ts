import { define } from '../../define.js';
import { ParleyProductCarousel } from './product-carousel.component.js';

define('parley-product-carousel', ParleyProductCarousel);

declare global {
  interface HTMLElementTagNameMap {
    'parley-product-carousel': ParleyProductCarousel;
  }
}

export { ParleyProductCarousel };
