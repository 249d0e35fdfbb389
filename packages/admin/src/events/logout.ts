/** The agent asked to sign out. */
export class ParleyLogoutEvent extends CustomEvent<Record<string, never>> {
  static readonly eventName = 'parley-logout';
  constructor(detail: Record<string, never>) {
    super(ParleyLogoutEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-logout': ParleyLogoutEvent;
  }
}
