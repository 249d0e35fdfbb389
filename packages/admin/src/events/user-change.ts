import type { User } from '@parley/protocol';

/** The signed-in user's account changed (name, avatar). */
export class ParleyUserChangeEvent extends CustomEvent<{ user: User }> {
  static readonly eventName = 'parley-user-change';
  constructor(detail: { user: User }) {
    super(ParleyUserChangeEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-user-change': ParleyUserChangeEvent;
  }
}
