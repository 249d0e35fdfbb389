/** The agent started or stopped typing in the composer (sent on change only). */
export class ParleyTypingEvent extends CustomEvent<{ on: boolean }> {
  static readonly eventName = 'parley-typing';
  constructor(detail: { on: boolean }) {
    super(ParleyTypingEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-typing': ParleyTypingEvent;
  }
}
