import { serverVersion } from '../../src/core/version.js';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ChatbotReply, ChatbotStartResponse } from '@parley/protocol';
import { buildTestServer, rawSql, startTestServer, texts } from '../helper.js';

async function start(app: FastifyInstance, query = '') {
  const res = await app.inject({ method: 'GET', url: `/api/chatbot${query}` });
  return { res, body: res.json<ChatbotStartResponse>() };
}

async function say(app: FastifyInstance, session: string, message: string, extra: Record<string, unknown> = {}) {
  const res = await app.inject({ method: 'POST', url: '/api/chatbot', payload: { message, chatbot_session: session, ...extra } });
  return { res, body: res.json<ChatbotReply>() };
}

describe('the component chat API', () => {
  it('starts a conversation with the greeting, a session and an HttpOnly cookie', async () => {
    const app = await buildTestServer();
    const { res, body } = await start(app);
    expect(res.statusCode).toBe(200);
    expect(body.is_terminal).toBe(false);
    expect(body.chatbot_session).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(texts(body.BOT.components)).toEqual(["Hi! I'm the Parley support bot. <b>Are you an existing customer?</b>"]);
    expect(body.BOT.components[1]!.type).toBe('button_options');
    const cookie = res.cookies.find((c) => c.name === 'parley_session')!;
    expect(cookie).toMatchObject({ value: body.chatbot_session, httpOnly: true, sameSite: 'Lax', path: '/api' });
  });

  it('holds the whole existing-customer conversation and stores every turn in SQLite', async () => {
    const app = await buildTestServer();
    const { body: first } = await start(app);
    const session = first.chatbot_session;
    const steps: Array<[string, string]> = [
      ['yes', 'Please enter your account number (6 to 10 digits).'],
      ['1234567', 'We sent a one-time code to the phone number on your account. Please enter it.'],
      ['123456', 'Thank you, you are verified. <b>How can we help you today?</b>'],
      ['query', 'Which product from your recent order is it about?'],
      ['4', 'You selected:'],
    ];
    for (const [message, expected] of steps) {
      const { res, body } = await say(app, session, message);
      expect(res.statusCode).toBe(200);
      expect(texts(body.BOT.components)[0]).toBe(expected);
    }
    const rows = await app.db.selectFrom('messages').select(['seq', 'role', 'text']).orderBy('seq').execute();
    expect(rows.map((r) => r.seq)).toEqual([...Array(11).keys()].map((i) => i + 1));
    expect(rows.filter((r) => r.role === 'user').map((r) => r.text)).toEqual(['Yes', '1234567', '••••••', 'Product Query', 'Notebook Set']);
    const conversation = await app.db.selectFrom('conversations').selectAll().executeTakeFirstOrThrow();
    expect(conversation).toMatchObject({ last_seq: 11, is_terminal: 1, status: 'bot' });
    expect(JSON.parse(conversation.flow_state).vars).toMatchObject({ issue: 'query', product: { name: 'Notebook Set' } });
  });

  it('answers invalid input with an error component first, then the prompt again', async () => {
    const app = await buildTestServer();
    const { body: first } = await start(app);
    await say(app, first.chatbot_session, 'yes');
    const { res, body } = await say(app, first.chatbot_session, 'abc');
    expect(res.statusCode).toBe(200);
    expect(body.BOT.components.map((c) => c.type)).toEqual(['error', 'text', 'input']);
    expect(body.BOT.components[0]).toEqual({ type: 'error', payload: { text: 'An account number has 6 to 10 digits, with nothing else.' } });
    expect(body.BOT.components[2]).toEqual({ type: 'input', payload: { placeholder: 'Account number', kind: 'number' } });
  });

  it('counts down the attempts left on each wrong one-time code, then ends the conversation', async () => {
    // Over a real socket, as the component API's own clients call it.
    const { http } = await startTestServer();
    const post = async (message: string, session?: string) => {
      const res = await fetch(`${http}/api/chatbot`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message, ...(session ? { chatbot_session: session } : {}) }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as ChatbotReply & { chatbot_session: string };
    };
    const session = (await (await fetch(`${http}/api/chatbot`)).json() as ChatbotStartResponse).chatbot_session;
    await post('yes', session);
    await post('1234567', session);
    const wrongs = [await post('000001', session), await post('000002', session), await post('000003', session)];
    expect(wrongs.map((reply) => reply.BOT.components[0])).toEqual([
      { type: 'error', payload: { text: 'Invalid OTP entered. You have 2 attempt(s) left.' } },
      { type: 'error', payload: { text: 'Invalid OTP entered. You have 1 attempt(s) left.' } },
      { type: 'error', payload: { text: 'Invalid OTP entered. You have 0 attempt(s) left.' } },
    ]);
    expect(wrongs.map((reply) => reply.is_terminal)).toEqual([false, false, true]);
    expect(texts(wrongs[2]!.BOT.components)[1]).toMatch(/^Too many incorrect codes/);
  });

  it('stores a new customer as a lead linked to the conversation', async () => {
    const app = await buildTestServer();
    const { body: first } = await start(app);
    const session = first.chatbot_session;
    for (const message of ['no', 'Grace Hopper', 'grace@example.com']) await say(app, session, message);
    const { body } = await say(app, session, '+1 (555) 010-9999');
    expect(body.is_terminal).toBe(true);
    expect(texts(body.BOT.components)[0]).toBe('Thank you, Grace Hopper! A member of our team will contact you at <b>grace@example.com</b> shortly.');
    const lead = await app.db.selectFrom('leads').selectAll().executeTakeFirstOrThrow();
    const conversation = await app.db.selectFrom('conversations').select(['id', 'company_id']).executeTakeFirstOrThrow();
    expect(lead).toMatchObject({ source: 'flow', conversation_id: conversation.id, company_id: conversation.company_id });
    expect(JSON.parse(lead.data)).toEqual({ name: 'Grace Hopper', email: 'grace@example.com', phone: '+15550109999' });
    expect(Date.parse(lead.created_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('takes the session from the cookie when the body has none', async () => {
    const app = await buildTestServer();
    const { res: started } = await start(app);
    const cookie = started.cookies.find((c) => c.name === 'parley_session')!;
    const res = await app.inject({ method: 'POST', url: '/api/chatbot', payload: { message: 'yes' }, cookies: { parley_session: cookie.value } });
    expect(res.statusCode).toBe(200);
    expect(texts(res.json<ChatbotReply>().BOT.components)[0]).toBe('Please enter your account number (6 to 10 digits).');
  });

  it('answers a resent message id once and stores it once', async () => {
    const app = await buildTestServer();
    const { body: first } = await start(app);
    const one = await say(app, first.chatbot_session, 'yes', { message_id: 'm-1' });
    const again = await say(app, first.chatbot_session, 'yes', { message_id: 'm-1' });
    expect(again.body).toEqual(one.body);
    const count = await app.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(count.n).toBe(3);
  });

  it('picks a company by site key and refuses an unknown key', async () => {
    const app = await buildTestServer();
    const siteKey = app.companies.defaultCompany().siteKey;
    expect((await start(app, `?site=${siteKey}`)).res.statusCode).toBe(200);
    const { res, body } = await start(app, '?site=pk_nope');
    expect(res.statusCode).toBe(404);
    expect(body).toEqual({ BOT: { components: [{ type: 'error', payload: { text: 'Unknown site key' } }] }, is_terminal: false });
  });

  it('lists a conversation’s messages after a sequence number', async () => {
    const app = await buildTestServer();
    const { body: first } = await start(app);
    await say(app, first.chatbot_session, 'yes');
    const res = await app.inject({ method: 'GET', url: `/api/chatbot/messages?after=1&chatbot_session=${first.chatbot_session}` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'bot', is_terminal: false, last_seq: 3 });
    expect(body.messages.map((m: { seq: number; role: string }) => [m.seq, m.role])).toEqual([
      [2, 'user'],
      [3, 'bot'],
    ]);
  });
});

describe('component chat API errors', () => {
  it('answers a malformed body with 400 in the BOT shape', async () => {
    const app = await buildTestServer();
    const { body: first } = await start(app);
    const cases: unknown[] = [
      { message: 5, chatbot_session: first.chatbot_session },
      { message: '', chatbot_session: first.chatbot_session },
      { message: 'x'.repeat(4001), chatbot_session: first.chatbot_session },
      { message: 'hi', chatbot_session: first.chatbot_session, admin: true },
      { message: { $gt: '' }, chatbot_session: first.chatbot_session },
    ];
    for (const payload of cases) {
      const res = await app.inject({ method: 'POST', url: '/api/chatbot', payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      const body = res.json<ChatbotReply>();
      expect(body.is_terminal).toBe(false);
      expect(body.BOT.components).toHaveLength(1);
      expect(body.BOT.components[0]!.type).toBe('error');
    }
    const broken = await app.inject({ method: 'POST', url: '/api/chatbot', headers: { 'content-type': 'application/json' }, payload: '{"message": "hi",' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json<ChatbotReply>().BOT.components[0]!.type).toBe('error');
    const poisoned = await app.inject({
      method: 'POST',
      url: '/api/chatbot',
      headers: { 'content-type': 'application/json' },
      payload: `{"message":"hi","chatbot_session":"${first.chatbot_session}","__proto__":{"isAdmin":true}}`,
    });
    expect(poisoned.statusCode).toBe(400);
    const missing = await app.inject({ method: 'POST', url: '/api/chatbot', payload: { message: 'hi' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<ChatbotReply>().BOT.components[0]).toEqual({
      type: 'error',
      payload: { text: 'chatbot_session is required, in the body or the session cookie' },
    });
  });

  it('answers an unknown or closed session with 404 in the BOT shape', async () => {
    const app = await buildTestServer();
    const unknown = await say(app, 'A'.repeat(32), 'hi');
    expect(unknown.res.statusCode).toBe(404);
    expect(unknown.body).toEqual({ BOT: { components: [{ type: 'error', payload: { text: 'Unknown chatbot session' } }] }, is_terminal: false });

    const { body: first } = await start(app);
    const close = await app.inject({ method: 'POST', url: '/api/session-close/', payload: { chatbot_session: first.chatbot_session } });
    expect(close.statusCode).toBe(200);
    expect(close.json()).toEqual({ message: 'Session scheduled for closure.' });
    const closed = await say(app, first.chatbot_session, 'yes');
    expect(closed.res.statusCode).toBe(404);
    expect(closed.body.is_terminal).toBe(true);
    expect(closed.body.BOT.components[0]!.type).toBe('error');
    const row = await app.db.selectFrom('conversations').select(['status', 'closed_at']).executeTakeFirstOrThrow();
    expect(row.status).toBe('closed');
    expect(row.closed_at).not.toBeNull();
    const closeUnknown = await app.inject({ method: 'POST', url: '/api/session-close', payload: { chatbot_session: 'B'.repeat(32) } });
    expect(closeUnknown.statusCode).toBe(404);
  });

  it('answers an unexpected failure with the documented 500 body and keeps serving', async () => {
    const app = await buildTestServer();
    const { body: first } = await start(app);
    await rawSql(app, 'ALTER TABLE messages RENAME TO messages_moved');
    const { res, body } = await say(app, first.chatbot_session, 'yes');
    expect(res.statusCode).toBe(500);
    expect(body).toEqual({
      BOT: { components: [{ type: 'error', payload: { text: "I'm sorry, an unexpected error occurred. Please try again." } }] },
      is_terminal: true,
    });
    expect(res.body).not.toMatch(/messages_moved|SQLITE|at /);
    await rawSql(app, 'ALTER TABLE messages_moved RENAME TO messages');
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok', version: serverVersion() });
    // Nothing half-written: the failed turn left no trace, and the same input now works.
    const retry = await say(app, first.chatbot_session, 'yes');
    expect(retry.res.statusCode).toBe(200);
    expect(texts(retry.body.BOT.components)[0]).toBe('Please enter your account number (6 to 10 digits).');
    const seqs = await app.db.selectFrom('messages').select('seq').orderBy('seq').execute();
    expect(seqs.map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it('answers unknown routes with 404 in the API error shape', async () => {
    const app = await buildTestServer();
    const res = await app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ statusCode: 404, code: 'not_found', error: 'Not Found', message: 'Route GET /api/nope not found' });
  });

  it('refuses bodies over 1 MiB with 413', async () => {
    const app = await buildTestServer();
    const res = await app.inject({
      method: 'POST',
      url: '/api/chatbot',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ message: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json<ChatbotReply>().BOT.components[0]!.type).toBe('error');
  });

  it('limits requests per address with 429', async () => {
    const app = await buildTestServer({ limits: { httpRequestsPerMinute: 3 } });
    for (let i = 0; i < 3; i++) expect((await start(app)).res.statusCode).toBe(200);
    const { res, body } = await start(app);
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    expect(body.BOT.components[0]!.type).toBe('error');
  });

  it('refuses browser pages from origins the company does not allow', async () => {
    const app = await buildTestServer();
    const company = app.companies.defaultCompany();
    await app.db.updateTable('companies').set({ allowed_origins: JSON.stringify(['https://shop.example']) }).where('id', '=', company.id).execute();
    await app.companies.refresh(company.id);
    const ok = await app.inject({ method: 'GET', url: '/api/chatbot', headers: { origin: 'https://shop.example' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example');
    const evil = await app.inject({ method: 'GET', url: '/api/chatbot', headers: { origin: 'https://evil.example' } });
    expect(evil.statusCode).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const session = ok.json<ChatbotStartResponse>().chatbot_session;
    const post = await app.inject({ method: 'POST', url: '/api/chatbot', headers: { origin: 'https://evil.example' }, payload: { message: 'yes', chatbot_session: session } });
    expect(post.statusCode).toBe(403);
  });
});
