import type { InboxFilter } from '../store/chat-order.js';

/** The inbox filter changed. */
export class ParleyFilterChangeEvent extends CustomEvent<{ filter: InboxFilter }> {
  static readonly eventName = 'parley-filter-change';
  constructor(detail: { filter: InboxFilter }) {
    super(ParleyFilterChangeEvent.eventName, { detail, bubbles: true, composed: true });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'parley-filter-change': ParleyFilterChangeEvent;
  }
}
