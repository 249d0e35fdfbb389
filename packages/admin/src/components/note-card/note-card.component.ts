import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { NoteView } from '@parley/protocol';
import { controls } from '../../styles/shared.js';
import { clock } from '../../lib/format.js';
import { icons } from '../../lib/icons.js';
import { ParleyNoteDeleteEvent } from '../../events/note-delete.js';
import { styles } from './note-card.styles.js';

/** What the agent is asked before a note is deleted. */
export const DELETE_NOTE_QUESTION = 'Delete this note for everyone? This cannot be undone.';

/**
 * An internal note in a conversation's timeline: a full-width amber card with a lock and "Note",
 * its author and time, and its text as typed (plain text). Agents see notes; the visitor never
 * does. Its author and admins get a Delete button, which asks first.
 *
 * @event parley-note-delete - the agent confirmed deleting the note (`detail.noteId`)
 * @csspart card - the card
 * @csspart header - lock, "Note", author and time, and the delete button
 * @csspart label - the lock and "Note"
 * @csspart author - who wrote it
 * @csspart delete - the delete button (author and admins only)
 * @csspart text - the note's text
 * @cssprop --parley-note-soft - card background
 * @cssprop --parley-note-border - card border
 * @cssprop --parley-note - the label's colour
 */
export class ParleyNoteCard extends LitElement {
  static override styles = [controls, styles];
  static override properties = {
    note: { attribute: false },
    deletable: { type: Boolean },
    busy: { type: Boolean },
  };

  /** The note to show. */
  declare note: NoteView | undefined;
  /** The signed-in user may delete it: they wrote it, or they are an admin or the owner. */
  declare deletable: boolean;
  /** A deletion is running: the button is disabled. */
  declare busy: boolean;

  constructor() {
    super();
    this.deletable = false;
    this.busy = false;
  }

  /** Asks first, as every deletion of the dashboard does. */
  private confirmDelete(note: NoteView): void {
    if (confirm(DELETE_NOTE_QUESTION)) this.dispatchEvent(new ParleyNoteDeleteEvent({ noteId: note.id }));
  }

  override render(): TemplateResult | typeof nothing {
    const note = this.note;
    if (!note) return nothing;
    return html`<article part="card" aria-label=${`Internal note by ${note.author.name}`}>
      <div part="header">
        <span part="label" title="Only agents see notes, never the visitor">${icons.lock} Note</span>
        <span part="author">${note.author.name}</span>
        <time datetime=${note.created_at}>${clock(note.created_at)}</time>
        ${this.deletable
          ? html`<button part="delete" class="danger" data-action="delete-note" aria-label=${`Delete the note by ${note.author.name}`} ?disabled=${this.busy} @click=${() => this.confirmDelete(note)}>
              Delete
            </button>`
          : nothing}
      </div>
      <div part="text">${note.text}</div>
    </article>`;
  }
}
