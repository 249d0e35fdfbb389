/** The agent clicked claim, resolve or return-to-bot. */
export class ParleyChatActionEvent extends CustomEvent<{ action: 'claim' | 'resolve' | 'return-to-bot' }> {
  static readonly eventName = 'parley-chat-action';
  constructor(detail: { action: 'claim' | 'resolve' | 'return-to-bot' }) {
    super(ParleyChatActionEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-chat-action': ParleyChatActionEvent;
  }
}
