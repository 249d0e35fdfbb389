import { afterEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../protocol.js';
import { $, $$, mount, record } from '../../../test/dom.js';
import type { ParleyRetryEvent } from '../../events/parley-retry.js';
import '../../index.js';
import type { ParleyMessage } from './message.component.js';

afterEach(() => document.body.replaceChildren());

const at = '2026-11-21T10:05:00.000Z';

describe('<parley-message>', () => {
  it('shows an agent bubble with name, avatar initial and time, and skips component types it does not know', async () => {
    const message = {
      seq: 4,
      id: 'm4',
      role: 'agent',
      author: { name: 'Dana' },
      created_at: at,
      components: [
        { type: 'text', payload: { text: 'Hello from <b>Dana</b>' } },
        { type: 'hologram', payload: { depth: 3 } },
        { type: 'error', payload: { text: 'Careful' } },
      ],
    } as unknown as ChatMessage;
    const el = await mount<ParleyMessage>('parley-message', { message, locale: 'en-US' });
    expect(el.getAttribute('role-name')).toBe('agent');
    expect($(el, '[part=avatar]').textContent).toBe('D');
    expect($(el, '[part=meta]').textContent).toContain('Dana');
    expect($(el, 'time').getAttribute('datetime')).toBe(at);
    expect($$(el, 'parley-text, parley-error').map((c) => c.localName)).toEqual(['parley-text', 'parley-error']);
  });

  it('resolves a server-relative image through resolveUrl', async () => {
    const message: ChatMessage = { seq: 5, id: 'm5', role: 'user', created_at: at, components: [{ type: 'image', payload: { url: '/uploads/abc', alt: 'photo' } }] };
    const el = await mount<ParleyMessage>('parley-message', { message, resolveUrl: (url: string) => new URL(url, 'http://chat.test').href });
    expect($(el, 'parley-image').getAttribute('src')).toBe('http://chat.test/uploads/abc');
  });

  it('shows a system notice without a bubble', async () => {
    const message: ChatMessage = { seq: 6, id: 'm6', role: 'system', created_at: at, components: [{ type: 'text', payload: { text: 'Dana joined' } }] };
    const el = await mount<ParleyMessage>('parley-message', { message });
    expect(($(el, '[part=notice] parley-text') as unknown as { html: string }).html).toBe('Dana joined');
    expect($$(el, '[part=avatar]')).toHaveLength(0);
  });

  it('offers to retry a message the server refused', async () => {
    const retries = record<ParleyRetryEvent>('parley-retry');
    const el = await mount<ParleyMessage>('parley-message', {
      pending: { id: 'm-1', kind: 'text', text: 'x', shown: [{ type: 'text', payload: { text: 'x' } }], state: 'failed', error: 'Too long' },
    });
    expect(el.getAttribute('role-name')).toBe('user');
    const status = $(el, '[role=status]');
    expect(status.textContent).toContain('Not sent.');
    status.querySelector('button')!.click();
    expect(retries.map((r) => r.id)).toEqual(['m-1']);
  });
});
