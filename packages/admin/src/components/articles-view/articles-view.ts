import { define } from '../../lib/define.js';
import { ParleyArticlesView } from './articles-view.component.js';

export { ParleyArticlesView };
define('parley-articles-view', ParleyArticlesView);

declare global {
  interface HTMLElementTagNameMap {
    'parley-articles-view': ParleyArticlesView;
  }
}
