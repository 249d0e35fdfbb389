import { define } from '../../lib/define.js';
import { ParleyVisitorDetails } from './visitor-details.component.js';

export { ParleyVisitorDetails };
define('parley-visitor-details', ParleyVisitorDetails);

declare global {
  interface HTMLElementTagNameMap {
    'parley-visitor-details': ParleyVisitorDetails;
  }
}
