import { define } from '../../define.js';
import { ParleyRating } from './rating.component.js';

define('parley-rating', ParleyRating);

declare global {
  interface HTMLElementTagNameMap {
    'parley-rating': ParleyRating;
  }
}

export { ParleyRating };
