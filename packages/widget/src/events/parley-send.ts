/** The visitor sends typed text from the composer. */
export class ParleySendEvent extends Event {
  static readonly type = 'parley-send';
  constructor(readonly text: string) {
    super(ParleySendEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-send': ParleySendEvent;
  }
}
