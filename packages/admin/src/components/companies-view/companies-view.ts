import { define } from '../../lib/define.js';
import { ParleyCompaniesView } from './companies-view.component.js';

export { ParleyCompaniesView };
define('parley-companies-view', ParleyCompaniesView);

declare global {
  interface HTMLElementTagNameMap {
    'parley-companies-view': ParleyCompaniesView;
  }
}
