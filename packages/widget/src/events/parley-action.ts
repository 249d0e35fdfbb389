import type { Component } from '../protocol.js';

/**
 * A visitor's click that answers the bot: a button's value, a product's index, an uploaded
 * image's URL. Bubbles and crosses shadow roots up to `<parley-chat>`, which sends it.
 */
export class ParleyActionEvent extends Event {
  static readonly type = 'parley-action';
  constructor(
    /** What is sent to the server. */
    readonly value: string,
    /** What the visitor sees in their bubble meanwhile (a label, the image). */
    readonly shown: string | Component[],
  ) {
    super(ParleyActionEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-action': ParleyActionEvent;
  }
}
