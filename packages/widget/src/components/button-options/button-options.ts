import { define } from '../../define.js';
import { ParleyButtonOptions } from './button-options.component.js';

define('parley-button-options', ParleyButtonOptions);

declare global {
  interface HTMLElementTagNameMap {
    'parley-button-options': ParleyButtonOptions;
  }
}

export { ParleyButtonOptions };
