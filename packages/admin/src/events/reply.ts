/** The composer sends a reply. */
export class ParleyReplyEvent extends CustomEvent<{ text: string }> {
  static readonly eventName = 'parley-reply';
  constructor(detail: { text: string }) {
    super(ParleyReplyEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-reply': ParleyReplyEvent;
  }
}
