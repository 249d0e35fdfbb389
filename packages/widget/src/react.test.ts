import { act, createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import type { ParleyChat as ParleyChatElement } from './components/chat/chat.component.js';
import { ParleyChatEvent } from './events/parley-chat-event.js';
import { ParleyChat } from './react.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

afterEach(() => document.body.replaceChildren());

describe('@parley/widget/react', () => {
  it('renders <parley-chat> with props set as properties and parley-* events as on... props', async () => {
    const container = document.body.appendChild(document.createElement('div'));
    const ready: Event[] = [];
    const unread: number[] = [];
    const root = createRoot(container);
    await act(async () => {
      root.render(
        createElement(ParleyChat, {
          server: 'https://chat.example.com',
          launcher: 'none',
          theme: 'dark',
          strings: { title: 'Besoin d’aide ?' },
          onReady: (event) => ready.push(event),
          onUnread: (event) => unread.push(event.detail),
        }),
      );
    });
    const chat = container.querySelector<ParleyChatElement>('parley-chat')!;
    await chat.updateComplete;
    expect(chat.launcher).toBe('none');
    expect(chat.getAttribute('theme')).toBe('dark');
    expect(chat.strings).toEqual({ title: 'Besoin d’aide ?' });
    expect(chat.shadowRoot!.querySelector('[part=title]')!.textContent).toBe('Besoin d’aide ?');
    expect(ready).toHaveLength(1);

    chat.dispatchEvent(new ParleyChatEvent('unread', 3));
    expect(unread).toEqual([3]);
    expect(chat.client?.connection).toBe('idle');
    await act(async () => root.unmount());
    expect(document.querySelector('parley-chat')).toBe(null);
  });
});
