import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@parley/protocol';
import { $, mount, record, settle, text } from '../../../test/dom.js';
import './message-bubble.js';

const message = (role: ChatMessage['role'], body: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  seq: 1,
  id: 'm1',
  role,
  components: [{ type: 'text', payload: { text: body } }],
  created_at: '2026-11-21T10:00:00.000Z',
  ...extra,
});

describe('parley-message-bubble', () => {
  it('puts the visitor on one side and agents and the bot on the other, with who wrote it', async () => {
    const visitor = await mount('parley-message-bubble', { message: message('user', 'Hi') });
    const agent = await mount('parley-message-bubble', { message: message('agent', 'Hello', { author: { name: 'Ana' } }) });
    const bot = await mount('parley-message-bubble', { message: message('bot', 'Welcome') });
    await settle(agent);
    expect(visitor.getAttribute('role-name')).toBe('user');
    expect(agent.getAttribute('role-name')).toBe('agent');
    expect(bot.getAttribute('role-name')).toBe('bot');
    expect($(agent, '[part="author"]')!.textContent).toBe('Ana');
    expect($(visitor, '[part="author"]')!.textContent).toBe('Visitor');
    expect($(bot, '[part="author"]')!.textContent).toBe('Bot');
  });

  it('shows system notices without an author or time', async () => {
    const el = await mount('parley-message-bubble', { message: message('system', 'Ana joined the conversation') });
    expect($(el, '[part="author"]')).toBeNull();
    expect($(el, '[part="meta"]')).toBeNull();
  });

  it('offers to retry a reply that failed', async () => {
    const el = await mount('parley-message-bubble', { message: message('agent', 'Hello'), state: 'failed', clientId: 'r1', error: 'Conversation not found' });
    const retries = record<{ clientId: string }>(el, 'parley-retry');
    expect(text(el)).toContain('Not sent: Conversation not found');
    $(el, '[part="retry"]')!.click();
    expect(retries).toEqual([{ clientId: 'r1' }]);
  });
});
