import { define } from '../../define.js';
import { ParleyText } from './text.component.js';

define('parley-text', ParleyText);

declare global {
  interface HTMLElementTagNameMap {
    'parley-text': ParleyText;
  }
}

export { ParleyText };
