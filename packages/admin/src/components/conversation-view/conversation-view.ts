import '../message-bubble/message-bubble.js';
import '../composer/composer.js';
import '../note-card/note-card.js';
import '../visitor-details/visitor-details.js';
import { define } from '../../lib/define.js';
import { ParleyConversationView } from './conversation-view.component.js';

export { ParleyConversationView };
define('parley-conversation-view', ParleyConversationView);

declare global {
  interface HTMLElementTagNameMap {
    'parley-conversation-view': ParleyConversationView;
  }
}
