import { define } from '../../define.js';
import { ParleyComposer } from './composer.component.js';

define('parley-composer', ParleyComposer);

declare global {
  interface HTMLElementTagNameMap {
    'parley-composer': ParleyComposer;
  }
}

export { ParleyComposer };
