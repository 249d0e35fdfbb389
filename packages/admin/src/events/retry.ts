/** Send a failed reply again. */
export class ParleyRetryEvent extends CustomEvent<{ clientId: string }> {
  static readonly eventName = 'parley-retry';
  constructor(detail: { clientId: string }) {
    super(ParleyRetryEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-retry': ParleyRetryEvent;
  }
}
