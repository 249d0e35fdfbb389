import '../component-view/component-view.js';
import { define } from '../../lib/define.js';
import { ParleyMessageBubble } from './message-bubble.component.js';

export { ParleyMessageBubble };
define('parley-message-bubble', ParleyMessageBubble);

declare global {
  interface HTMLElementTagNameMap {
    'parley-message-bubble': ParleyMessageBubble;
  }
}
