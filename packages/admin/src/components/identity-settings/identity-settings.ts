import { define } from '../../lib/define.js';
import { ParleyIdentitySettings } from './identity-settings.component.js';

export { ParleyIdentitySettings };
define('parley-identity-settings', ParleyIdentitySettings);

declare global {
  interface HTMLElementTagNameMap {
    'parley-identity-settings': ParleyIdentitySettings;
  }
}
