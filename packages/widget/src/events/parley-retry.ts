/** The visitor asks to resend a message the server refused (`id` is its client message id). */
export class ParleyRetryEvent extends Event {
  static readonly type = 'parley-retry';
  constructor(readonly id: string) {
    super(ParleyRetryEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-retry': ParleyRetryEvent;
  }
}
