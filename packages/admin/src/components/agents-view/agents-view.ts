import { define } from '../../lib/define.js';
import { ParleyAgentsView } from './agents-view.component.js';

export { ParleyAgentsView };
define('parley-agents-view', ParleyAgentsView);

declare global {
  interface HTMLElementTagNameMap {
    'parley-agents-view': ParleyAgentsView;
  }
}
