import { define } from '../../lib/define.js';
import { ParleySettingsView } from './settings-view.component.js';

export { ParleySettingsView };
define('parley-settings-view', ParleySettingsView);

declare global {
  interface HTMLElementTagNameMap {
    'parley-settings-view': ParleySettingsView;
  }
}
