import { afterEach, describe, expect, it } from 'vitest';
import { $, $$, mount, record, settle, text } from '../../../test/dom.js';
import { chat, msg, note } from '../../../test/fixtures.js';
import { DELETE_QUESTION } from './conversation-view.component.js';
import './conversation-view.js';

const actions = (el: HTMLElement) => $$(el, '[part="actions"] button').map((b) => b.dataset.action);

describe('parley-conversation-view', () => {
  const realConfirm = window.confirm;
  afterEach(() => (window.confirm = realConfirm));

  it('offers the actions that fit the state: claim a waiting chat, resolve or return your own', async () => {
    const el = await mount('parley-conversation-view', {
      me: 'u1',
      chat: chat('c1', { status: 'waiting', queue_position: 2, handoff: { reason: 'visitor', requested_at: new Date().toISOString(), context: 'Order 1234 is late' } }),
    });
    expect(actions(el)).toEqual(['claim', 'return-to-bot', 'details']);
    expect(text(el)).toContain('#2 in queue');
    expect($(el, '[part="handoff"]')!.textContent).toContain('Order 1234 is late');
    el.chat = chat('c1', { status: 'agent', assignee: { id: 'u1', name: 'Me' } });
    await el.updateComplete;
    expect(actions(el)).toEqual(['return-to-bot', 'resolve', 'details']);
    // A colleague's chat: an agent may only read it; an admin may take it over.
    el.chat = chat('c1', { status: 'agent', assignee: { id: 'u2', name: 'Bo' } });
    await el.updateComplete;
    expect(actions(el)).toEqual(['details']);
    expect(($(el, 'parley-composer') as HTMLElement & { disabled: boolean }).disabled).toBe(true);
    el.admin = true;
    await el.updateComplete;
    expect(actions(el)).toEqual(['claim', 'return-to-bot', 'resolve', 'details']);
    expect($(el, '[data-action="claim"]')!.textContent).toContain('Take over');
    expect(($(el, 'parley-composer') as HTMLElement & { disabled: boolean }).disabled).toBe(false);
  });

  it('reports the action clicked', async () => {
    const el = await mount('parley-conversation-view', { chat: chat('c1', { status: 'waiting' }) });
    const seen = record<{ action: string }>(el, 'parley-chat-action');
    $(el, '[data-action="claim"]')!.click();
    expect(seen).toEqual([{ action: 'claim' }]);
  });

  it('shows messages in order, pending replies after them, and who is typing', async () => {
    const el = await mount('parley-conversation-view', {
      chat: chat('c1', { status: 'agent' }),
      messages: [msg(1, 'bot', 'Hi, how can I help?'), msg(2, 'user', 'A person please'), msg(3, 'system', 'Ana joined')],
      pending: [{ clientId: 'r1', conversationId: 'c1', text: 'On it!', state: 'sending' }],
      typing: { visitor: true, agents: [] },
    });
    await settle(el);
    const bubbles = $$(el, 'parley-message-bubble');
    expect(bubbles.map((b) => b.getAttribute('role-name'))).toEqual(['bot', 'user', 'system', 'agent']);
    expect(bubbles[3]!.getAttribute('state')).toBe('sending');
    expect($(el, '[part="typing"]')!.textContent).toContain('Visitor is typing');
    el.typing = { visitor: true, agents: ['Bo'] };
    await el.updateComplete;
    expect($(el, '[part="typing"]')!.textContent).toContain('Visitor and Bo are typing');
  });

  it('shows the visitor details beside the conversation, and hides them on request', async () => {
    const el = await mount('parley-conversation-view', { chat: chat('c1', { lead: { email: 'dana@example.com' } }), showDetails: true });
    await settle(el);
    const details = $(el, 'parley-visitor-details')!;
    expect(text(details)).toContain('203.0.113.9');
    expect(text(details)).toContain('dana@example.com');
    $(el, '[data-action="details"]')!.click();
    await el.updateComplete;
    expect($(el, '[part="details"]')!.hidden).toBe(true);
    $(el, '[data-action="details"]')!.click();
    await el.updateComplete;
    expect($(el, '[part="details"]')!.hidden).toBe(false);
    $(el, '[part="close-details"]')!.click();
    await el.updateComplete;
    expect($(el, '[part="details"]')!.hidden).toBe(true);
  });

  it('offers admins, and only them, to delete the conversation from its details, after asking plainly', async () => {
    const el = await mount('parley-conversation-view', { chat: chat('c1', { status: 'agent', assignee: { id: 'u1', name: 'Me' } }), me: 'u1', showDetails: true });
    expect($(el, '[data-action="delete"]')).toBeNull();
    el.admin = true;
    await el.updateComplete;
    const button = $(el, '[part="details"] [part="delete"] [data-action="delete"]')!;
    expect(button.textContent).toContain('Delete conversation');

    const asked: string[] = [];
    const deletions = record<{ conversationId: string }>(el, 'parley-chat-delete');
    window.confirm = (question) => (asked.push(String(question)), false);
    button.click();
    expect(deletions).toEqual([]);
    window.confirm = (question) => (asked.push(String(question)), true);
    button.click();
    expect(deletions).toEqual([{ conversationId: 'c1' }]);
    expect(asked).toEqual([DELETE_QUESTION, DELETE_QUESTION]);
    expect(DELETE_QUESTION).toMatch(/for good/);
    for (const what of ['messages', 'files', 'leads']) expect(DELETE_QUESTION).toContain(what);
  });

  it('says so when the open conversation was deleted, with a way back to the inbox', async () => {
    const el = await mount('parley-conversation-view', { chat: undefined, deleted: true });
    expect(text(el)).toContain('This conversation was deleted.');
    const navigations = record<{ screen: string }>(el, 'parley-navigate');
    [...el.shadowRoot!.querySelectorAll('button')].find((b) => b.textContent!.includes('Back to the inbox'))!.click();
    expect(navigations).toEqual([{ screen: 'inbox' }]);
    el.deleted = false;
    await el.updateComplete;
    expect(text(el)).not.toContain('deleted');
  });

  it('shows internal notes among the messages in time order, as note cards rather than bubbles', async () => {
    const at = (minute: number) => `2026-11-21T10:0${minute}:00.000Z`;
    const el = await mount('parley-conversation-view', {
      chat: chat('c1', { status: 'agent' }),
      messages: [msg(1, 'user', 'Where is my refund?', { created_at: at(1) }), msg(2, 'agent', 'Checking', { created_at: at(3) }), msg(3, 'user', 'Thanks', { created_at: at(5) })],
      notes: [note('n1', 'Customer is a VIP', { created_at: at(0) }), note('n2', 'Refund approved by Sam', { created_at: at(4) }), note('n3', 'Closed the ticket', { created_at: at(7) })],
    });
    await settle(el);
    const timeline = $$(el, '.stack > *').map((item) => item.dataset.noteId ?? `m${item.dataset.seq}`);
    expect(timeline).toEqual(['n1', 'm1', 'm2', 'n2', 'm3', 'n3']);
    expect($$(el, 'parley-note-card')).toHaveLength(3);
    expect($$(el, 'parley-message-bubble').some((b) => b.shadowRoot!.textContent!.includes('VIP'))).toBe(false);
  });

  it('offers to delete a note to its author and to admins, and to nobody else', async () => {
    const notes = [note('n1', 'Mine', { author: { id: 'u1', name: 'Me' } }), note('n2', "Bo's", { author: { id: 'u2', name: 'Bo' } }), note('n3', 'From a deleted account', { author: { id: null, name: 'Kim' } })];
    const el = await mount('parley-conversation-view', { chat: chat('c1', { status: 'agent' }), me: 'u1', notes });
    await settle(el);
    const deletable = () => $$(el, 'parley-note-card').map((card) => (card as HTMLElement & { deletable: boolean }).deletable);
    expect(deletable()).toEqual([true, false, false]);
    el.admin = true;
    await settle(el);
    expect(deletable()).toEqual([true, true, true]);
  });
});
