/** What a rating needs of the conversation: where the server is and the visitor's session. */
export interface RatingTarget {
  readonly session: string | undefined;
  resolveUrl(url: string): string | undefined;
}

/**
 * Asked by a `rating` component (a feature chunk) for the conversation it rates: the chat answers
 * with `reply(client)`, and the component sends the rating itself, so the bundle every visitor
 * loads carries nothing of it.
 */
export class ParleyRateEvent extends Event {
  static readonly type = 'parley-rate';
  constructor(readonly reply: (target: RatingTarget | undefined) => void) {
    super(ParleyRateEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-rate': ParleyRateEvent;
  }
}
