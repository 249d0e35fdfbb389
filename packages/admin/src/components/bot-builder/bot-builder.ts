import { define } from '../../lib/define.js';
import { ParleyBotBuilder } from './bot-builder.component.js';

export { ParleyBotBuilder };
define('parley-bot-builder', ParleyBotBuilder);

declare global {
  interface HTMLElementTagNameMap {
    'parley-bot-builder': ParleyBotBuilder;
  }
}
