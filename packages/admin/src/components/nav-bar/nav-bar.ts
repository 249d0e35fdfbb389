import { define } from '../../lib/define.js';
import { ParleyNavBar } from './nav-bar.component.js';

export { ParleyNavBar };
define('parley-nav-bar', ParleyNavBar);

declare global {
  interface HTMLElementTagNameMap {
    'parley-nav-bar': ParleyNavBar;
  }
}
