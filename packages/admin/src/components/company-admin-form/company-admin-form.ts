import { define } from '../../lib/define.js';
import { ParleyCompanyAdminForm } from './company-admin-form.component.js';

export { ParleyCompanyAdminForm };
define('parley-company-admin-form', ParleyCompanyAdminForm);

declare global {
  interface HTMLElementTagNameMap {
    'parley-company-admin-form': ParleyCompanyAdminForm;
  }
}
