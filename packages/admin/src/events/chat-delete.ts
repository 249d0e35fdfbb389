/** An admin confirmed that a conversation is to be deleted for good. */
export class ParleyChatDeleteEvent extends CustomEvent<{ conversationId: string }> {
  static readonly eventName = 'parley-chat-delete';
  constructor(detail: { conversationId: string }) {
    super(ParleyChatDeleteEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-chat-delete': ParleyChatDeleteEvent;
  }
}
