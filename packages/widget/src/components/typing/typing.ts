import { define } from '../../define.js';
import { ParleyTyping } from './typing.component.js';

define('parley-typing', ParleyTyping);

declare global {
  interface HTMLElementTagNameMap {
    'parley-typing': ParleyTyping;
  }
}

export { ParleyTyping };
