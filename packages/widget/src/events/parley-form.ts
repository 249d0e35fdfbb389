import type { Component } from '../protocol.js';

/**
 * The visitor submitted a `form` component: its id and the values by field name. Bubbles and
 * crosses shadow roots up to `<parley-chat>`, which sends it.
 */
export class ParleyFormEvent extends Event {
  static readonly type = 'parley-form';
  constructor(
    /** The form's id. */
    readonly form: string,
    /** What the visitor entered, by field name (trimmed). */
    readonly values: Record<string, string>,
    /** What the visitor sees in their bubble meanwhile. */
    readonly shown: Component[],
  ) {
    super(ParleyFormEvent.type, { bubbles: true, composed: true });
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-form': ParleyFormEvent;
  }
}
