import { define } from '../../define.js';
import { ParleyImage } from './image.component.js';

define('parley-image', ParleyImage);

declare global {
  interface HTMLElementTagNameMap {
    'parley-image': ParleyImage;
  }
}

export { ParleyImage };
