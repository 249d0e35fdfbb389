import { define } from '../../lib/define.js';
import { ParleyInsightsView } from './insights-view.component.js';

export { ParleyInsightsView };
define('parley-insights-view', ParleyInsightsView);

declare global {
  interface HTMLElementTagNameMap {
    'parley-insights-view': ParleyInsightsView;
  }
}
