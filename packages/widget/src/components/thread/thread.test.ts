import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../protocol.js';
import { $, $$, mount } from '../../../test/dom.js';
import '../../index.js';
import type { ParleyThread } from './thread.component.js';

afterEach(() => document.body.replaceChildren());

const at = '2026-11-21T10:05:00.000Z';
const greeting: ChatMessage = {
  seq: 1,
  id: 'a',
  role: 'bot',
  created_at: at,
  components: [
    { type: 'text', payload: { text: 'Existing customer?' } },
    { type: 'button_options', payload: { options: [{ label: 'Yes', value: 'yes' }, { label: 'No', value: 'no' }] } },
  ],
};
const answer: ChatMessage = { seq: 2, id: 'b', role: 'user', created_at: at, components: [{ type: 'text', payload: { text: 'No' } }] };
const next: ChatMessage = {
  seq: 3,
  id: 'c',
  role: 'bot',
  created_at: at,
  components: [
    { type: 'text', payload: { text: 'Pick one' } },
    { type: 'button_options', payload: { options: [{ label: 'A', value: 'a' }] } },
  ],
};

describe('<parley-thread>', () => {
  it('is a polite live log in which only the newest question can be answered, and past choices show', async () => {
    const el = await mount<ParleyThread>('parley-thread', { messages: [greeting, answer, next] });
    const log = $(el, '[part=log]');
    expect([log.getAttribute('role'), log.getAttribute('aria-live')]).toEqual(['log', 'polite']);
    const messages = $$(el, 'parley-message');
    await Promise.all(messages.map((m) => (m as unknown as { updateComplete: Promise<unknown> }).updateComplete));
    const groups = messages.map((m) => m.shadowRoot!.querySelector('parley-button-options') as unknown as { disabled: boolean; chosen?: string } | null);
    expect(groups[0]).toMatchObject({ disabled: true, chosen: 'No' });
    expect(groups[2]).toMatchObject({ disabled: false });
  });

  it('shows unsent messages, then "thinking" once they are sent, and who is typing', async () => {
    const el = await mount<ParleyThread>('parley-thread', {
      messages: [greeting],
      pending: [{ id: 'm-1', kind: 'action', value: 'yes', shown: [{ type: 'text', payload: { text: 'Yes' } }], state: 'queued' }],
      thinking: true,
    });
    expect($$(el, 'parley-message')).toHaveLength(2);
    expect($$(el, 'parley-typing')).toHaveLength(0);
    el.pending = [];
    await el.updateComplete;
    expect(($(el, 'parley-typing') as unknown as { label: string }).label).toBe('Bot is thinking…');
    el.typing = { role: 'agent', name: 'Dana' };
    await el.updateComplete;
    expect(($(el, 'parley-typing') as unknown as { label: string }).label).toBe('Dana is typing…');
  });
});
