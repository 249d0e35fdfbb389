import { define } from '../../define.js';
import { ParleyChat } from './chat.component.js';

define('parley-chat', ParleyChat);

declare global {
  interface HTMLElementTagNameMap {
    'parley-chat': ParleyChat;
  }
}

export { ParleyChat };
