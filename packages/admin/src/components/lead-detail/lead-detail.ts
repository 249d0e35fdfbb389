import { define } from '../../lib/define.js';
import { ParleyLeadDetail } from './lead-detail.component.js';

export { ParleyLeadDetail };
define('parley-lead-detail', ParleyLeadDetail);

declare global {
  interface HTMLElementTagNameMap {
    'parley-lead-detail': ParleyLeadDetail;
  }
}
