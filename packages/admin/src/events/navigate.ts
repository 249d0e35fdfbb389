import type { Screen } from '../controllers/router-controller.js';

/** Asks the app to show a screen (and, in the inbox, a conversation). */
export class ParleyNavigateEvent extends CustomEvent<{ screen: Screen; conversationId?: string }> {
  static readonly eventName = 'parley-navigate';
  constructor(detail: { screen: Screen; conversationId?: string }) {
    super(ParleyNavigateEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-navigate': ParleyNavigateEvent;
  }
}
