import { define } from '../../lib/define.js';
import { ParleyCsatSettings } from './csat-settings.component.js';

export { ParleyCsatSettings };
define('parley-csat-settings', ParleyCsatSettings);

declare global {
  interface HTMLElementTagNameMap {
    'parley-csat-settings': ParleyCsatSettings;
  }
}
