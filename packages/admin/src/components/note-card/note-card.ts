import { define } from '../../lib/define.js';
import { ParleyNoteCard } from './note-card.component.js';

export { ParleyNoteCard };
define('parley-note-card', ParleyNoteCard);

declare global {
  interface HTMLElementTagNameMap {
    'parley-note-card': ParleyNoteCard;
  }
}
