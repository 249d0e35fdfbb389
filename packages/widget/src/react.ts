/**
 * React components for the widget, made with `@lit/react`: properties are set as properties (not
 * strings) and the `parley-*` events are `on...` props.
 *
 * @example
 * import { ParleyChat } from '@parley/widget/react';
 * <ParleyChat server="https://chat.example.com" site="pk_..." onUnread={(e) => setBadge(e.detail)} />
 *
 * Needs `react` and `@lit/react` (optional peer dependencies). Importing this module also types
 * `<parley-chat>` and the other tags in React's JSX.
 */
import * as React from 'react';
import { createComponent, type EventName } from '@lit/react';
import './index.js';
import { ParleyChat as ParleyChatElement } from './components/chat/chat.component.js';
import type { ParleyChatEvent } from './events/parley-chat-event.js';
import type { ParleyIntrinsicElements } from './jsx.js';

type ChatEvent<K extends ParleyChatEvent['name']> = EventName<ParleyChatEvent<K>>;

/** `<parley-chat>` as a React component. */
export const ParleyChat = createComponent({
  tagName: 'parley-chat',
  elementClass: ParleyChatElement,
  react: React,
  events: {
    onOpen: 'parley-open' as ChatEvent<'open'>,
    onClose: 'parley-close' as ChatEvent<'close'>,
    onMessage: 'parley-message' as ChatEvent<'message'>,
    onUnread: 'parley-unread' as ChatEvent<'unread'>,
    onLead: 'parley-lead' as ChatEvent<'lead'>,
    onIdentify: 'parley-identify' as ChatEvent<'identify'>,
    onHandoff: 'parley-handoff' as ChatEvent<'handoff'>,
    onConnection: 'parley-connection' as ChatEvent<'connection'>,
    onReady: 'parley-ready' as ChatEvent<'ready'>,
    onAvailability: 'parley-availability' as ChatEvent<'availability'>,
  },
});

export type { ParleyIntrinsicElements } from './jsx.js';

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements extends ParleyIntrinsicElements {}
  }
}
