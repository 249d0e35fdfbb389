/** The inbox list wants older conversations. */
export class ParleyLoadMoreEvent extends CustomEvent<Record<string, never>> {
  static readonly eventName = 'parley-load-more';
  constructor() {
    super(ParleyLoadMoreEvent.eventName, { detail: {}, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-load-more': ParleyLoadMoreEvent;
  }
}
