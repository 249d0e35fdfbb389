import { define } from '../../define.js';
import { ParleyMessage } from './message.component.js';

define('parley-message', ParleyMessage);

declare global {
  interface HTMLElementTagNameMap {
    'parley-message': ParleyMessage;
  }
}

export { ParleyMessage };
