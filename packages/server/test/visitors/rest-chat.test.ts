import { describe, expect, it } from 'vitest';
import type { ChatbotStartResponse, RestChatMessageResponse, RestHistoryResponse } from '@parley/protocol';
import { addCompany, call, login, OWNER, startAgentServer } from '../agent-helper.js';

const GREETING = "Hi! I'm the Parley support bot. Are you an existing customer?\n- Yes\n- No";

function send(http: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return call<RestChatMessageResponse>(http, 'POST', '/api/chat-message', { body, headers });
}

describe('the REST chat API', () => {
  it('holds a conversation in plain text, keyless for the default company of a fresh install', async () => {
    const { app, http } = await startAgentServer();
    const first = await send(http, { message: 'Hello', user_id: 'u-42', message_id: 'm1', message_count: 0 });
    expect(first.status).toBe(200);
    expect(first.body.message).toBe(GREETING);
    const id = first.body.conversation_id;

    const second = await send(http, { message: 'yes', user_id: 'u-42', message_id: 'm2', message_count: 2, conversation_id: id });
    expect(second.body).toEqual({ message: 'Please enter your account number (6 to 10 digits).', conversation_id: id });

    const history = await call<RestHistoryResponse>(http, 'GET', `/api/get-conversation-history/${id}`);
    expect(history.body).toEqual({
      conversation_id: id,
      message_count: 4,
      messages: [
        { role: 'user', message: 'Hello' },
        { role: 'assistant', message: GREETING },
        { role: 'user', message: 'Yes' },
        { role: 'assistant', message: 'Please enter your account number (6 to 10 digits).' },
      ],
    });
    const stored = await app.db.selectFrom('conversations').select(['visitor_id']).executeTakeFirstOrThrow();
    expect(stored.visitor_id).toBe('u-42');
  });

  it("takes the FastAPI system's own verification call, with an integer user_id, as is", async () => {
    const { app, http } = await startAgentServer();
    const first = await send(http, { message: 'Hello!', user_id: 1, message_id: 'test-msg-001', message_count: 1, conversation_id: '' });
    expect(first.status).toBe(200);
    expect(first.body.message).toBe(GREETING);
    const id = first.body.conversation_id;
    // 1 and "1" are one user: the string form continues the conversation the integer opened, and back.
    const asString = await send(http, { message: 'yes', user_id: '1', message_id: 'test-msg-002', message_count: 3, conversation_id: id });
    expect(asString.body).toEqual({ message: 'Please enter your account number (6 to 10 digits).', conversation_id: id });
    const asInteger = await send(http, { message: '1234567', user_id: 1, message_id: 'test-msg-003', message_count: 5, conversation_id: id });
    expect(asInteger.status).toBe(200);
    // A retried first message finds its conversation whichever form the id comes in.
    const retried = await send(http, { message: 'Hello!', user_id: '1', message_id: 'test-msg-001', message_count: 1, conversation_id: '' });
    expect(retried.body.conversation_id).toBe(id);
    const stored = await app.db.selectFrom('conversations').select(['visitor_id']).execute();
    expect(stored).toEqual([{ visitor_id: '1' }]);
    // Another user may not continue it; a fraction or an unsafe integer is no user id.
    expect((await send(http, { message: 'x', user_id: 2, message_id: 'o1', message_count: 0, conversation_id: id })).status).toBe(404);
    expect((await send(http, { message: 'x', user_id: 1.5, message_id: 'o2', message_count: 0 })).status).toBe(400);
    expect((await send(http, { message: 'x', user_id: 2 ** 60, message_id: 'o3', message_count: 0 })).status).toBe(400);
  });

  it('answers a resent message id once and stores it once, even for the first message', async () => {
    const { app, http } = await startAgentServer();
    const body = { message: 'Hello', user_id: 'u-1', message_id: 'first', message_count: 0 };
    const [a, b] = await Promise.all([send(http, body), send(http, body)]);
    expect(b.body).toEqual(a.body);
    const again = await send(http, { ...body, message: 'yes', message_id: 'n1', conversation_id: a.body.conversation_id });
    const resent = await send(http, { ...body, message: 'yes', message_id: 'n1', conversation_id: a.body.conversation_id });
    expect(resent.body).toEqual(again.body);
    const conversations = await app.db.selectFrom('conversations').select('id').execute();
    expect(conversations).toHaveLength(1);
    const messages = await app.db.selectFrom('messages').select('seq').execute();
    expect(messages).toHaveLength(4);
  });

  it('refuses malformed bodies with 400 and unknown or foreign conversations with 404', async () => {
    const { http } = await startAgentServer();
    const bad = [
      { message: 'x', message_id: 'm', message_count: 0 },
      { message: 'x', user_id: 'u', message_id: 'not valid!', message_count: 0 },
      { message: 'x', user_id: 'u', message_id: 'm', message_count: -1 },
      { message: '', user_id: 'u', message_id: 'm', message_count: 0 },
      { message: 'x', user_id: 'u', message_id: 'm', message_count: 0, admin: true },
    ];
    for (const body of bad) expect((await send(http, body)).status, JSON.stringify(body)).toBe(400);
    const unknown = await send(http, { message: 'x', user_id: 'u', message_id: 'm', message_count: 0, conversation_id: 'nope' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'not_found', message: 'Conversation not found' });
    const mine = await send(http, { message: 'Hi', user_id: 'alice', message_id: 'a1', message_count: 0 });
    const stolen = await send(http, { message: 'Hi', user_id: 'mallory', message_id: 'x1', message_count: 0, conversation_id: mine.body.conversation_id });
    expect(stolen.status).toBe(404);
    expect((await call(http, 'GET', '/api/get-conversation-history/nope')).status).toBe(404);
  });

  it('never shows a widget conversation to a keyless caller', async () => {
    const { http } = await startAgentServer();
    const widget = (await call<ChatbotStartResponse>(http, 'GET', '/api/chatbot')).body;
    const messages = await call<{ conversation_id: string }>(http, 'GET', `/api/chatbot/messages?chatbot_session=${widget.chatbot_session}`);
    expect((await call(http, 'GET', `/api/get-conversation-history/${messages.body.conversation_id}`)).status).toBe(404);
  });

  it('needs the API key once the company has one, and keeps companies apart', async () => {
    const { app, http } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const rotated = await call<{ api_key: string }>(http, 'PATCH', '/api/company', { token: owner.token, body: { rotate_api_key: true } });
    const key = rotated.body.api_key;
    const body = { message: 'Hi', user_id: 'u', message_id: 'm1', message_count: 0 };
    expect((await send(http, body)).status).toBe(401);
    expect((await send(http, body, { 'x-api-key': 'sk_wrong' })).status).toBe(401);
    const ok = await send(http, body, { 'x-api-key': key });
    expect(ok.status).toBe(200);
    const viaBearer = await call(http, 'GET', `/api/get-conversation-history/${ok.body.conversation_id}`, { headers: { authorization: `Bearer ${key}` } });
    expect(viaBearer.status).toBe(200);

    const globex = await addCompany(app, http, 'Globex');
    const foreign = await call(http, 'GET', `/api/get-conversation-history/${ok.body.conversation_id}`, { headers: { 'x-api-key': globex.apiKey } });
    expect(foreign.status).toBe(404);
    const theirs = await send(http, { ...body, conversation_id: ok.body.conversation_id }, { 'x-api-key': globex.apiKey });
    expect(theirs.status).toBe(404);
  });
});
