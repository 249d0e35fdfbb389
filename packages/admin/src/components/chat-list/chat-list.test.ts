import { describe, expect, it } from 'vitest';
import { $, $$, mount, record } from '../../../test/dom.js';
import { chat } from '../../../test/fixtures.js';
import './chat-list.js';

describe('parley-chat-list', () => {
  it('highlights waiting chats with their place in the queue and shows unread counts', async () => {
    const el = await mount('parley-chat-list', {
      chats: [chat('c_wait', { status: 'waiting', queue_position: 1, unread_count: 3, lead: { name: 'Dana' } }), chat('c_bot')],
    });
    const rows = $$(el, '[part="item"]');
    expect(rows[0]!.classList.contains('waiting')).toBe(true);
    expect(rows[0]!.textContent).toContain('Dana');
    expect(rows[0]!.querySelector('[part="badge"]')!.textContent).toContain('Waiting #1');
    expect(rows[0]!.querySelector('[part="unread"]')!.textContent).toBe('3');
    expect(rows[1]!.classList.contains('waiting')).toBe(false);
    expect(rows[1]!.querySelector('[part="unread"]')).toBeNull();
  });

  it('names the agent a chat is with, "You" for the signed-in agent', async () => {
    const el = await mount('parley-chat-list', {
      me: 'u1',
      chats: [chat('a', { status: 'agent', assignee: { id: 'u1', name: 'Me' } }), chat('b', { status: 'agent', assignee: { id: 'u2', name: 'Bo' } })],
    });
    expect($$(el, '[part="badge"]').map((b) => b.textContent)).toEqual(['You', 'Bo']);
  });

  it('reports the filter picked and the chat opened', async () => {
    const el = await mount('parley-chat-list', { chats: [chat('c1')], counts: { waiting: { chats: 2, unread: 0 } } });
    const filters = record<{ filter: string }>(el, 'parley-filter-change');
    const opened = record<{ conversationId: string }>(el, 'parley-navigate');
    $(el, '[data-filter="waiting"]')!.click();
    expect(filters).toEqual([{ filter: 'waiting' }]);
    expect($(el, '[data-filter="waiting"]')!.textContent).toContain('2');
    $(el, '[part="item"]')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
    expect(opened).toEqual([{ screen: 'inbox', conversationId: 'c1' }]);
  });

  it('offers older chats when there may be more', async () => {
    const el = await mount('parley-chat-list', { chats: [chat('c1')] });
    expect($(el, '[part="more"]')).toBeNull();
    el.more = true;
    await el.updateComplete;
    const asks = record(el, 'parley-load-more');
    $(el, '[part="more"]')!.click();
    expect(asks).toHaveLength(1);
  });

  it('says so when nothing matches', async () => {
    const el = await mount('parley-chat-list', { chats: [], filter: 'waiting' });
    expect($(el, '[part="empty"]')!.textContent).toContain('Nobody is waiting');
  });
});
