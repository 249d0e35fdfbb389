/** The visitor started (`on`) or stopped typing in the composer. */
export class ParleyTypingEvent extends Event {
  static readonly type = 'parley-typing';
  constructor(readonly on: boolean) {
    super(ParleyTypingEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-typing': ParleyTypingEvent;
  }
}
