import { define } from '../../lib/define.js';
import { ParleyChatList } from './chat-list.component.js';

export { ParleyChatList };
define('parley-chat-list', ParleyChatList);

declare global {
  interface HTMLElementTagNameMap {
    'parley-chat-list': ParleyChatList;
  }
}
