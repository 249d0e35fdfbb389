import type { ChatMessage } from '../protocol.js';
import type { ConnectionState, HandoffInfo, IdentityResult, LeadInfo } from '../client/types.js';

/** What `<parley-chat>` tells the page, by event name (each prefixed `parley-`). */
export interface ParleyChatEventMap {
  open: undefined;
  close: undefined;
  message: ChatMessage;
  unread: number;
  lead: LeadInfo;
  identify: IdentityResult;
  handoff: HandoffInfo;
  connection: ConnectionState;
  ready: undefined;
  availability: 'online' | 'offline';
}

/**
 * A notification from `<parley-chat>` to the page: `parley-open`, `parley-close`,
 * `parley-message`, `parley-unread`, `parley-lead`, `parley-identify`, `parley-handoff`, `parley-connection`, `parley-ready`, `parley-availability`.
 * The payload is in `detail`.
 */
export class ParleyChatEvent<K extends keyof ParleyChatEventMap = keyof ParleyChatEventMap> extends CustomEvent<ParleyChatEventMap[K]> {
  constructor(
    readonly name: K,
    detail: ParleyChatEventMap[K],
  ) {
    super(`parley-${name}`, { bubbles: true, composed: true, detail });
  }
}

declare global {
  interface HTMLElementEventMap {
    'parley-open': ParleyChatEvent<'open'>;
    'parley-close': ParleyChatEvent<'close'>;
    'parley-message': ParleyChatEvent<'message'>;
    'parley-unread': ParleyChatEvent<'unread'>;
    'parley-lead': ParleyChatEvent<'lead'>;
    'parley-identify': ParleyChatEvent<'identify'>;
    'parley-handoff': ParleyChatEvent<'handoff'>;
    'parley-connection': ParleyChatEvent<'connection'>;
    'parley-ready': ParleyChatEvent<'ready'>;
    'parley-availability': ParleyChatEvent<'availability'>;
  }
}
