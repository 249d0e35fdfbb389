import { define } from '../../define.js';
import { ParleyThread } from './thread.component.js';

define('parley-thread', ParleyThread);

declare global {
  interface HTMLElementTagNameMap {
    'parley-thread': ParleyThread;
  }
}

export { ParleyThread };
