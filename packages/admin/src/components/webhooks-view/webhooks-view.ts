import { define } from '../../lib/define.js';
import { ParleyWebhooksView } from './webhooks-view.component.js';

export { ParleyWebhooksView };
define('parley-webhooks-view', ParleyWebhooksView);

declare global {
  interface HTMLElementTagNameMap {
    'parley-webhooks-view': ParleyWebhooksView;
  }
}
