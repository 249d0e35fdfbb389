import { define } from '../../lib/define.js';
import { ParleySavedRepliesSettings } from './saved-replies-settings.component.js';

export { ParleySavedRepliesSettings };
define('parley-saved-replies-settings', ParleySavedRepliesSettings);

declare global {
  interface HTMLElementTagNameMap {
    'parley-saved-replies-settings': ParleySavedRepliesSettings;
  }
}
