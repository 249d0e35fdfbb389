import { define } from '../../lib/define.js';
import { ParleyWebhookLog } from './webhook-log.component.js';

export { ParleyWebhookLog };
define('parley-webhook-log', ParleyWebhookLog);

declare global {
  interface HTMLElementTagNameMap {
    'parley-webhook-log': ParleyWebhookLog;
  }
}
