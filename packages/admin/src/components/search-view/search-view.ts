import { define } from '../../lib/define.js';
import { ParleySearchView } from './search-view.component.js';

export { ParleySearchView };
define('parley-search-view', ParleySearchView);

declare global {
  interface HTMLElementTagNameMap {
    'parley-search-view': ParleySearchView;
  }
}
