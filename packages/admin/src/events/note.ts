/** The composer, in Note mode, adds an internal note: agents see it, the visitor never does. */
export class ParleyNoteEvent extends CustomEvent<{ text: string }> {
  static readonly eventName = 'parley-note';
  constructor(detail: { text: string }) {
    super(ParleyNoteEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-note': ParleyNoteEvent;
  }
}
