import { define } from '../../lib/define.js';
import { ParleyComposer } from './composer.component.js';

export { ParleyComposer };
define('parley-composer', ParleyComposer);

declare global {
  interface HTMLElementTagNameMap {
    'parley-composer': ParleyComposer;
  }
}
