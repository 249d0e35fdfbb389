import { define } from '../../lib/define.js';
import { ParleyComponentView } from './component-view.component.js';

export { ParleyComponentView };
define('parley-component-view', ParleyComponentView);

declare global {
  interface HTMLElementTagNameMap {
    'parley-component-view': ParleyComponentView;
  }
}
