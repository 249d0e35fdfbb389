import { define } from '../../lib/define.js';
import { ParleyAccountView } from './account-view.component.js';

export { ParleyAccountView };
define('parley-account-view', ParleyAccountView);

declare global {
  interface HTMLElementTagNameMap {
    'parley-account-view': ParleyAccountView;
  }
}
