import { define } from '../../define.js';
import { ParleyForm } from './form.component.js';

define('parley-form', ParleyForm);

declare global {
  interface HTMLElementTagNameMap {
    'parley-form': ParleyForm;
  }
}

export { ParleyForm };
