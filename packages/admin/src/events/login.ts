/** The login form was submitted. */
export class ParleyLoginEvent extends CustomEvent<{ email: string; password: string }> {
  static readonly eventName = 'parley-login';
  constructor(detail: { email: string; password: string }) {
    super(ParleyLoginEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-login': ParleyLoginEvent;
  }
}
