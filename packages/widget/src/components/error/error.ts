import { define } from '../../define.js';
import { ParleyError } from './error.component.js';

define('parley-error', ParleyError);

declare global {
  interface HTMLElementTagNameMap {
    'parley-error': ParleyError;
  }
}

export { ParleyError };
