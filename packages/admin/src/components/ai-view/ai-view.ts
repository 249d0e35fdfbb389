import { define } from '../../lib/define.js';
import { ParleyAiView } from './ai-view.component.js';

export { ParleyAiView };
define('parley-ai-view', ParleyAiView);

declare global {
  interface HTMLElementTagNameMap {
    'parley-ai-view': ParleyAiView;
  }
}
