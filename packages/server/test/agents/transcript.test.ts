import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatSummary, MessageList } from '@parley/protocol';
import { transcriptText } from '../../src/lib/transcript.js';
import { addCompany, call, is, login, openVisitor, OWNER, startAgentServer } from '../agent-helper.js';

describe('conversation transcripts', () => {
  it('download as plain text and as JSON, with every message in order, for the company only', async () => {
    const { app, http, ws } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const visitor = await openVisitor(ws);
    const id = visitor.welcome.conversation_id;
    visitor.socket.send({ type: 'message', id: 't1', text: 'My parcel <b>never</b> came' });
    await visitor.socket.next(is.messageWithRole('bot'));
    await call(http, 'POST', `/api/chats/${id}/messages`, { token: owner.token, body: { text: 'Sorry!\nLet me check.' } });

    const text = await fetch(`${http}/api/chats/${id}/transcript`, { headers: { authorization: `Bearer ${owner.token}` } });
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.headers.get('content-disposition')).toBe(`attachment; filename="conversation-${id}.txt"`);
    const body = await text.text();
    const lines = body.split('\n');
    expect(lines[0]).toBe(`Conversation ${id}`);
    const said = lines.filter((l) => l.startsWith('[')).map((l) => l.replace(/^\[[^\]]+\] /, ''));
    expect(said[1]).toBe('Visitor: My parcel <b>never</b> came');
    expect(said.at(-1)).toBe('Owner (agent): Sorry!');
    expect(body).toContain('Owner (agent): Sorry!\n    Let me check.\n');
    const stored = (await call<MessageList>(http, 'GET', `/api/messages/${id}`, { token: owner.token })).body.messages;
    expect(said).toHaveLength(stored.length);

    const json = await call(http, 'GET', `/api/chats/${id}/transcript?format=json`, { token: owner.token });
    expect(json.status).toBe(200);
    expect(json.headers.get('content-disposition')).toBe(`attachment; filename="conversation-${id}.json"`);
    expect(json.body.chat.id).toBe(id);
    expect(json.body.messages.map((m: ChatMessage) => m.seq)).toEqual(stored.map((m) => m.message.seq));

    expect((await call(http, 'GET', `/api/chats/${id}/transcript?format=pdf`, { token: owner.token })).status).toBe(400);
    const other = await addCompany(app, http, 'Bravo');
    expect((await call(http, 'GET', `/api/chats/${id}/transcript`, { token: other.token })).status).toBe(404);
    expect((await call(http, 'GET', `/api/chats/${id}/transcript`)).status).toBe(401);
  });

  it('name the visitor the site identified, and mark failed answers', () => {
    const chat = {
      id: 'c1',
      status: 'resolved',
      created_at: '2026-11-21T10:00:00.000000Z',
      visitor: {
        ip: '203.0.113.7',
        user_agent: 'Firefox',
        last_seen_at: null,
        online: false,
        identity: { user_id: '42', name: 'Zoe', email: 'zoe@example.com', verified: true, identified_at: '2026-11-21T10:00:01Z' },
      },
    } as unknown as ChatSummary;
    const message = (seq: number, role: ChatMessage['role'], text: string, extra: Partial<ChatMessage> = {}): ChatMessage => ({
      seq,
      id: String(seq),
      role,
      components: [{ type: 'text', payload: { text } }],
      created_at: `2026-11-21T10:00:0${seq}.000000Z`,
      status: 'success',
      ...extra,
    });
    expect(transcriptText(chat, [message(1, 'bot', 'Hi'), message(2, 'user', 'Help'), message(3, 'bot', 'Sorry', { status: 'error' }), message(4, 'system', 'Gone')])).toBe(
      [
        'Conversation c1',
        'Started 2026-11-21 10:00:00 UTC, status resolved',
        'Visitor: Zoe <zoe@example.com> (user id 42, verified)',
        "Visitor's address: 203.0.113.7, Firefox",
        '',
        '[2026-11-21 10:00:01] Bot: Hi',
        '[2026-11-21 10:00:02] Visitor: Help',
        '[2026-11-21 10:00:03] Bot: Sorry (failed)',
        '[2026-11-21 10:00:04] Notice: Gone',
        '',
      ].join('\n'),
    );
  });
});
