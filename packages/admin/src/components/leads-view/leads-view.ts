import { define } from '../../lib/define.js';
import { ParleyLeadsView } from './leads-view.component.js';

export { ParleyLeadsView };
define('parley-leads-view', ParleyLeadsView);

declare global {
  interface HTMLElementTagNameMap {
    'parley-leads-view': ParleyLeadsView;
  }
}
