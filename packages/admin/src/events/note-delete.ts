/** The author of an internal note, or an admin, confirmed deleting it. */
export class ParleyNoteDeleteEvent extends CustomEvent<{ noteId: string }> {
  static readonly eventName = 'parley-note-delete';
  constructor(detail: { noteId: string }) {
    super(ParleyNoteDeleteEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-note-delete': ParleyNoteDeleteEvent;
  }
}
