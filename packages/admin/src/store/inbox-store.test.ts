import { afterEach, describe, expect, it } from 'vitest';
import type { ChatSummary } from '@parley/protocol';
import { until } from '../../../server/test/support/until.js';
import { chatListAnswer, fakeApi, notesAnswer, type FakeAnswer, type FakeCall } from '../../test/fake-api.js';
import { chat, msg, note, user } from '../../test/fixtures.js';
import { HandSocket } from '../../test/hand-socket.js';
import { InboxStore } from './inbox-store.js';
import { SessionStore } from './session-store.js';

/*
 * The inbox store with a hand-driven socket and a fake REST API: what it keeps when a
 * conversation is deleted, by this admin or by someone else.
 */
const c1 = chat('c1', { status: 'waiting', queue_position: 1 });
const c2 = chat('c2');
const stores: InboxStore[] = [];
afterEach(() => stores.splice(0).forEach((store) => store.stop()));

/** An admin signed in, with c1 and c2 in the inbox; `answer` overrides the fake server's routes. */
async function adminInbox(answer: (call: FakeCall, body: unknown) => FakeAnswer | undefined = () => undefined) {
  HandSocket.reset();
  let listed: ChatSummary[] = [c1, c2];
  const api = fakeApi((call, body) => {
    const overridden = answer(call, body);
    if (overridden) return overridden;
    if (call.path === '/api/auth/login') return { body: { token: 'jwt', user: user('admin'), expires_at: '2099-01-01T00:00:00.000Z' } };
    if (call.method === 'GET' && call.path.startsWith('/api/chats?')) return { body: { chats: listed } };
    if (call.method === 'GET' && call.path === '/api/chats/c1') return { body: { chat: c1, variables: { order: 'A-1' } } };
    if (call.method === 'GET' && call.path.startsWith('/api/messages/c1')) return { body: { conversation_id: 'c1', messages: [msg(1, 'bot', 'Hi'), msg(2, 'user', 'A person please')].map((message) => ({ message, read_at: null })) } };
    if (call.method === 'DELETE' && call.path === '/api/chats/c1') return { status: 204 };
    return undefined;
  });
  const session = new SessionStore({ fetch: api.fetch, storage: undefined });
  expect(await session.login('admin@parley.test', 'admin-password')).toBe(true);
  const inbox = new InboxStore(session, { socketUrl: 'ws://parley.test/ws/agent', WebSocket: HandSocket });
  stores.push(inbox);
  inbox.start();
  HandSocket.last.accept();
  await until(() => inbox.loaded, 'the inbox loaded');
  return { inbox, calls: api.calls, socket: HandSocket.last, relist: (chats: ChatSummary[]) => (listed = chats) };
}

describe('inbox store: deleted conversations', () => {
  it('drops a conversation deleted elsewhere from every list, with its messages, and never takes it back', async () => {
    const { inbox, socket, relist } = await adminInbox();
    await inbox.open('c1');
    inbox.reply('c1', 'On it');
    socket.frame({ type: 'typing', conversation_id: 'c1', role: 'user', on: true });
    expect(inbox.list('waiting').map((c) => c.id)).toEqual(['c1']);
    expect(inbox.messages.get('c1')).toHaveLength(2);

    socket.frame({ type: 'conversation_deleted', conversation_id: 'c1' });
    expect(inbox.list('all').map((c) => c.id)).toEqual(['c2']);
    expect(inbox.list('waiting')).toEqual([]);
    expect(inbox.count('waiting').chats).toBe(0);
    expect(inbox.messages.get('c1')).toBeUndefined();
    expect(inbox.variables.has('c1')).toBe(false);
    expect(inbox.pendingIn('c1')).toEqual([]);
    expect(inbox.typing.get('c1')).toBeUndefined();
    expect(inbox.deleted.has('c1')).toBe(true);

    // Frames sent before the deletion, and a list loaded before it, arrive late.
    socket.frame({ type: 'conversation', chat: c1 });
    socket.frame({ type: 'message', conversation_id: 'c1', message: msg(3, 'user', 'still there?') });
    relist([c1, c2]);
    await inbox.loadChats();
    expect(inbox.chats.has('c1')).toBe(false);
    expect(inbox.messages.get('c1')).toBeUndefined();
    expect(inbox.chats.has('c2')).toBe(true);
  });

  it('deletes a conversation through the API with the admin token, then forgets it', async () => {
    const { inbox, calls } = await adminInbox();
    expect(await inbox.deleteChat('c1')).toBe(true);
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([{ method: 'DELETE', path: '/api/chats/c1', authorization: 'Bearer jwt' }]);
    expect(inbox.chats.has('c1')).toBe(false);
    expect(inbox.error).toBe('');
  });

  it("keeps the conversation and shows the server's reason when the deletion is refused", async () => {
    const refused = { status: 403, body: { statusCode: 403, code: 'forbidden', error: 'Forbidden', message: 'Only admins can delete conversations.' } };
    const { inbox } = await adminInbox((call) => (call.method === 'DELETE' ? refused : undefined));
    expect(await inbox.deleteChat('c1')).toBe(false);
    expect(inbox.chats.has('c1')).toBe(true);
    expect(inbox.deleted.has('c1')).toBe(false);
    expect(inbox.error).toBe('Only admins can delete conversations.');
  });

  it('forgets an opened conversation deleted while its socket was down (the frame was missed)', async () => {
    let gone = false;
    const notFound = { status: 404, body: { statusCode: 404, code: 'not_found', error: 'Not Found', message: 'Conversation not found' } };
    const { inbox, socket } = await adminInbox((call) => (gone && call.path.startsWith('/api/messages/c1') ? notFound : undefined));
    await inbox.open('c1');
    socket.drop(1006);
    gone = true;
    await until(() => HandSocket.made.length === 2, 'a new connection', 5000);
    HandSocket.last.accept();
    await until(() => inbox.deleted.has('c1'), 'c1 forgotten after the resync');
    expect(inbox.chats.has('c1')).toBe(false);
    expect(inbox.error).toBe('');
  });

  it('drops a listed conversation, never opened, deleted while its socket was down; older pages stay', async () => {
    // 150 conversations, one a minute apart: the first page holds the 100 newest, "load more" the rest.
    const server = Array.from({ length: 150 }, (_, i) => chat(`b${String(i).padStart(3, '0')}`, { updated_at: new Date(Date.UTC(2026, 10, 21, 9, i)).toISOString() }));
    const { inbox, socket } = await adminInbox((call) => (call.method === 'GET' && call.path.startsWith('/api/chats?') ? chatListAnswer(server, call) : undefined));
    await inbox.loadChats('all');
    await inbox.loadChats('all', true);
    expect(inbox.list('all')).toHaveLength(150);

    socket.drop(1006);
    // The retention policy (or another admin) deletes b120; its conversation_deleted frame is missed.
    server.splice(120, 1);
    await until(() => HandSocket.made.length === 2, 'a new connection', 5000);
    HandSocket.last.accept();
    await until(() => !inbox.chats.has('b120'), 'b120 gone after the resync', 3000);
    expect(inbox.list('all').map((c) => c.id).sort()).toEqual(server.map((c) => c.id).sort());
    expect(inbox.error).toBe('');
  });
});

describe('inbox store: internal notes', () => {
  const vip = note('n1', 'Customer is a VIP', { created_at: '2026-11-21T10:01:00.000Z' });

  it('loads the notes when a conversation is opened, keeps them current from frames, and forgets them with it', async () => {
    const notes = notesAnswer(user('admin'), [vip]);
    const { inbox, socket, calls } = await adminInbox(notes);
    await inbox.open('c1');
    expect(calls.filter((c) => c.path.includes('/notes')).map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/chats/c1/notes']);
    expect(inbox.notes.get('c1')!.map((n) => n.text)).toEqual(['Customer is a VIP']);
    expect(inbox.notes.get('c2')).toBeUndefined();

    socket.frame({ type: 'note', conversation_id: 'c1', note: note('n2', 'Refund approved by Sam', { created_at: '2026-11-21T10:05:00.000Z' }) });
    expect(inbox.notes.get('c1')!.map((n) => n.id)).toEqual(['n1', 'n2']);
    socket.frame({ type: 'note_deleted', conversation_id: 'c1', note_id: 'n1' });
    expect(inbox.notes.get('c1')!.map((n) => n.id)).toEqual(['n2']);

    socket.frame({ type: 'conversation_deleted', conversation_id: 'c1' });
    expect(inbox.notes.get('c1')).toBeUndefined();
    socket.frame({ type: 'note', conversation_id: 'c1', note: note('n3', 'late') });
    expect(inbox.notes.get('c1')).toBeUndefined();
  });

  it('writes a note over POST /api/chats/:id/notes, never as a reply, and shows the server refusal in the banner', async () => {
    const notes = notesAnswer(user('admin'), [vip]);
    let refuse = false;
    const refused = { status: 404, body: { statusCode: 404, code: 'not_found', error: 'Not Found', message: 'Conversation not found' } };
    const { inbox, socket, calls } = await adminInbox((call, body) => (refuse && call.method === 'POST' ? refused : notes(call, body)));
    await inbox.open('c1');
    expect(await inbox.notes.write('c1', 'Called them back')).toBe(true);
    expect(calls.filter((c) => c.method === 'POST' && c.path.startsWith('/api/chats')).map((c) => c.path)).toEqual(['/api/chats/c1/notes']);
    expect(socket.sent.map((frame) => JSON.parse(frame).type)).not.toContain('reply');
    expect(inbox.notes.get('c1')!.map((n) => n.text)).toEqual(['Customer is a VIP', 'Called them back']);
    expect(inbox.pendingIn('c1')).toEqual([]);

    refuse = true;
    expect(await inbox.notes.write('c1', 'Again')).toBe(false);
    expect(inbox.error).toBe('Conversation not found');
    expect(inbox.notes.get('c1')).toHaveLength(2);
  });
});
