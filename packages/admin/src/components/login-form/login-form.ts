import { define } from '../../lib/define.js';
import { ParleyLoginForm } from './login-form.component.js';

export { ParleyLoginForm };
define('parley-login-form', ParleyLoginForm);

declare global {
  interface HTMLElementTagNameMap {
    'parley-login-form': ParleyLoginForm;
  }
}
