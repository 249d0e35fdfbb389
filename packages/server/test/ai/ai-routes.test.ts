import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  HANDOFF_ACTION,
  Typing,
  type AckFrame,
  type AiConfigView,
  type ChatbotReply,
  type ChatbotStartResponse,
  type MessageFrame,
  type ServerTypingFrame,
  type StateFrame,
  type StreamFrame,
} from '@parley/protocol';
import { parseFlow } from '../../src/flows/load.js';
import { onCleanup, texts, type TestSocket } from '../helper.js';
import { addAgent, addCompany, call, is, login, openAgent, openVisitor, OWNER, startAgentServer } from '../agent-helper.js';
import { startFakeOpenAI, type Script } from '../support/fake-openai.js';

/** A server with AI switched on for the default company, talking to a local fake provider. */
async function aiServer(script: Script | (() => Script) = { chunks: ['We are open ', '**9 to 5**', ', Monday to Friday.'] }, settings: object = {}) {
  const fake = await startFakeOpenAI(typeof script === 'function' ? script : () => script);
  onCleanup(fake.close);
  const server = await startAgentServer();
  const owner = await login(server.http, OWNER.email, OWNER.password);
  const saved = await call<AiConfigView>(server.http, 'PUT', '/api/ai/config', {
    token: owner.token,
    body: { enabled: true, base_url: fake.baseUrl, api_key: 'sk-secret-123', model: 'test-model', timeout_ms: 1500, ...settings },
  });
  expect(saved.status).toBe(200);
  return { ...server, fake, owner };
}

const question = 'What are your opening hours?';

async function askAtWelcome(socket: TestSocket, text = question) {
  await socket.next(is.messageWithRole('bot'));
  socket.send({ type: 'message', id: 'q1', text });
  return socket.nextOf<AckFrame>('ack');
}

describe('AI settings', () => {
  it('are write-only for the key, sealed at rest, and for admins of the company only', async () => {
    const { app, http, owner, fake } = await aiServer();
    const view = await call<AiConfigView>(http, 'GET', '/api/ai/config', { token: owner.token });
    expect(view.body).toEqual({
      enabled: true,
      base_url: fake.baseUrl,
      model: 'test-model',
      api_key_set: true,
      temperature: 0.3,
      max_tokens: 500,
      system_prompt: '',
      history_window: 12,
      timeout_ms: 1500,
      source: 'saved',
    });
    expect(JSON.stringify(view.body)).not.toContain('sk-secret-123');
    const row = await app.db.selectFrom('ai_settings').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('sk-secret-123');

    const agent = await addAgent(app, http, owner.user.company_id, 'Sam');
    expect((await call(http, 'GET', '/api/ai/config', { token: agent.token })).status).toBe(403);
    expect((await call(http, 'GET', '/api/ai/config')).status).toBe(401);
    const other = await addCompany(app, http, 'Globex');
    const theirs = await call<AiConfigView>(http, 'GET', '/api/ai/config', { token: other.token });
    expect(theirs.body).toMatchObject({ enabled: false, api_key_set: false, source: 'default' });

    const cleared = await call<AiConfigView>(http, 'PUT', '/api/ai/config', { token: owner.token, body: { api_key: '' } });
    expect(cleared.body.api_key_set).toBe(false);
    // Each wrong field alone is refused, and neither changes what is saved.
    const tooHot = await call(http, 'PUT', '/api/ai/config', { token: owner.token, body: { temperature: 7 } });
    expect(tooHot.status).toBe(400);
    const unknown = await call(http, 'PUT', '/api/ai/config', { token: owner.token, body: { model: 'other-model', extra: 1 } });
    expect(unknown.status).toBe(400);
    const after = await call<AiConfigView>(http, 'GET', '/api/ai/config', { token: owner.token });
    expect(after.body).toMatchObject({ temperature: 0.3, model: 'test-model' });
  });

  it('test one message: the reply and its latency, or the provider error in plain words', async () => {
    const { app, http, owner, fake } = await aiServer({ chunks: ['Pong'] });
    const ok = await call(http, 'POST', '/api/ai/test', { token: owner.token, body: { message: 'Ping' } });
    expect(ok.body).toMatchObject({ ok: true, reply: 'Pong' });
    expect(ok.body.latency_ms).toBeGreaterThanOrEqual(0);
    const other = await addCompany(app, http, 'Initech');
    const unset = await call(http, 'POST', '/api/ai/test', { token: other.token, body: { message: 'Ping' } });
    expect(unset.body).toEqual({ ok: false, error: 'No API key is set for https://api.openai.com/v1', latency_ms: 0 });
    fake.setScript(() => ({ status: 401 }));
    const refused = await call(http, 'POST', '/api/ai/test', { token: owner.token, body: { message: 'Ping' } });
    expect(refused.body).toMatchObject({ ok: false, error: 'The AI provider refused the API key (401): Incorrect API key provided' });
  });
});

describe('AI replies to visitors', () => {
  it('says "thinking" again every Typing.refreshMs while the model has not answered, so it does not expire', async () => {
    const { ws } = await aiServer({ delayMs: Typing.refreshMs + 600, chunks: ['Slow but sure.'] }, { timeout_ms: 10_000 });
    const { socket } = await openVisitor(ws);
    await askAtWelcome(socket);
    await socket.nextOf<StreamFrame>('stream');
    const thinking = socket.frames.filter((f) => f.type === 'typing' && (f as ServerTypingFrame).role === 'bot' && (f as ServerTypingFrame).on);
    expect(thinking).toHaveLength(2);
  });

  it('streams an answer to a question the flow cannot take, stores it, then asks the question again', async () => {
    const { app, ws, fake } = await aiServer();
    const { socket } = await openVisitor(ws);
    const ack = await askAtWelcome(socket);
    expect(ack.seq).toBe(2);
    expect(await socket.nextOf<ServerTypingFrame>('typing')).toEqual({ type: 'typing', role: 'bot', on: true });
    const pieces: StreamFrame[] = [];
    for (let i = 0; i < 3; i++) pieces.push(await socket.nextOf<StreamFrame>('stream'));
    expect(pieces.map((p) => p.delta)).toEqual(['We are open ', '**9 to 5**', ', Monday to Friday.']);
    expect(new Set(pieces.map((p) => p.stream_id)).size).toBe(1);
    const answer = await socket.next<MessageFrame>(is.messageWithRole('bot'));
    expect(answer.stream_id).toBe(pieces[0]!.stream_id);
    expect(answer.message.seq).toBe(3);
    expect(texts(answer.message.components)).toEqual(['We are open <strong>9 to 5</strong>, Monday to Friday.']);
    const prompt = await socket.next<MessageFrame>(is.messageWithRole('bot'));
    expect(prompt.message.components.map((c) => c.type)).toEqual(['text', 'button_options']);
    expect(texts(prompt.message.components)[0]).toContain('Are you an existing customer?');

    const stored = await app.db.selectFrom('messages').select(['seq', 'role', 'status', 'elapsed_ms', 'error']).where('seq', '=', 3).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ role: 'bot', status: 'success', error: null });
    expect(stored.elapsed_ms).toBeGreaterThanOrEqual(0);
    const sent = fake.received[0]!.body;
    expect(sent.messages[0]!.content).toContain('customer support assistant of Default company');
    expect(sent.messages.at(-1)).toEqual({ role: 'user', content: question });
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'assistant', 'user']);

    // The flow is where it was: a click still works.
    socket.send({ type: 'action', id: 'a2', value: 'yes' });
    await socket.next((f) => f.type === 'ack' && (f as AckFrame).id === 'a2');
    expect(texts((await socket.next<MessageFrame>(is.messageWithRole('bot'))).message.components)[0]).toMatch(/account number/);
  });

  it('answers over HTTP with the whole reply and the question after it', async () => {
    const { http } = await aiServer({ chunks: ['Yes, we ship worldwide.'] });
    const start = (await call<ChatbotStartResponse>(http, 'GET', '/api/chatbot')).body;
    const reply = await call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message: 'Do you ship abroad?', chatbot_session: start.chatbot_session } });
    expect(reply.status).toBe(200);
    expect(texts(reply.body.BOT.components)).toEqual(['Yes, we ship worldwide.', "Hi! I'm the Parley support bot. <b>Are you an existing customer?</b>"]);
  });

  it('answers a question typed at an input step without spending an attempt', async () => {
    const { http } = await aiServer({ chunks: ['We use it to find your orders.'] });
    const start = (await call<ChatbotStartResponse>(http, 'GET', '/api/chatbot')).body;
    const say = (message: string) => call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message, chatbot_session: start.chatbot_session } });
    await say('yes');
    const answer = await say('Why do you need my account number?');
    expect(texts(answer.body.BOT.components)).toEqual(['We use it to find your orders.', 'Please enter your account number (6 to 10 digits).']);
    expect(answer.body.BOT.components[0]!.type).toBe('text');
    // A wrong answer that is not a question is still checked as before.
    expect((await say('12ab')).body.BOT.components[0]!.type).toBe('error');
  });

  it('with AI off, answers with the error component and the prompt', async () => {
    const { http, owner, fake } = await aiServer();
    await call(http, 'PUT', '/api/ai/config', { token: owner.token, body: { enabled: false } });
    const start = (await call<ChatbotStartResponse>(http, 'GET', '/api/chatbot')).body;
    const reply = await call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message: question, chatbot_session: start.chatbot_session } });
    expect(reply.body.BOT.components.map((c) => c.type)).toEqual(['error', 'text', 'button_options']);
    expect(fake.received).toHaveLength(0);
  });

  const failures: Array<[string, Script, RegExp]> = [
    ['the provider fails', { status: 500 }, /answered with an error \(500\)/],
    ['the provider is too slow', { delayMs: 4000, chunks: ['late'] }, /did not answer within 2 s/],
    ['the stream is malformed', { chunks: ['a', 'b'], malformed: true }, /could not be read/],
    ['the provider rate-limits', { status: 429 }, /rate-limiting/],
  ];
  for (const [name, script, logged] of failures) {
    it(`carries on with a fallback and the offer of a person when ${name}`, async () => {
      const { app, ws } = await aiServer(script);
      const { socket } = await openVisitor(ws);
      await askAtWelcome(socket);
      const fallback = await socket.next<MessageFrame>(is.messageWithRole('bot'), 6000);
      expect(texts(fallback.message.components)).toEqual(["Sorry, I can't answer that right now."]);
      expect(fallback.message.components[1]).toEqual({
        type: 'button_options',
        payload: { options: [{ label: 'Talk to a person', value: HANDOFF_ACTION }] },
      });
      expect(fallback.message.status).toBe('error');
      const prompt = await socket.next<MessageFrame>(is.messageWithRole('bot'));
      expect(texts(prompt.message.components)[0]).toContain('Are you an existing customer?');
      const row = await app.db.selectFrom('messages').select(['status', 'error']).where('seq', '=', 3).executeTakeFirstOrThrow();
      expect(row.status).toBe('error');
      expect(row.error).toMatch(logged);
      // The offered button reaches a person.
      socket.send({ type: 'action', id: 'h1', value: HANDOFF_ACTION });
      expect((await socket.nextOf<StateFrame>('state')).status).toBe('waiting');
    });
  }

  it('hands over to a person when the model calls handoff_to_human', async () => {
    const { app, http, ws, owner } = await aiServer({ toolCall: { name: 'handoff_to_human', arguments: '{"reason":"Wants a refund for a broken lamp"}' } });
    const dana = await addAgent(app, http, owner.user.company_id, 'Dana');
    const agent = await openAgent(ws.replace(/\/ws$/, '/ws/agent'), dana.token);
    const { socket, welcome } = await openVisitor(ws);
    await askAtWelcome(socket, 'My lamp arrived broken, I want my money back!');
    expect((await socket.nextOf<StateFrame>('state')).status).toBe('waiting');
    const handoff = await agent.socket.next((f) => f.type === 'handoff');
    expect(handoff).toMatchObject({ reason: 'ai', chat: { id: welcome.conversation_id, status: 'waiting' } });
    const row = await app.db.selectFrom('conversations').select(['handoff_reason', 'handoff_context']).executeTakeFirstOrThrow();
    expect(row).toEqual({ handoff_reason: 'ai', handoff_context: 'Wants a refund for a broken lamp' });
  });

  it('limits AI turns per conversation', async () => {
    const { http, fake } = await aiServer({ chunks: ['An answer.'] });
    const start = (await call<ChatbotStartResponse>(http, 'GET', '/api/chatbot')).body;
    const replies: string[] = [];
    for (let i = 0; i < 10; i++) {
      const reply = await call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message: `Question ${i}?`, chatbot_session: start.chatbot_session } });
      replies.push(texts(reply.body.BOT.components)[0]!);
    }
    expect(fake.received).toHaveLength(8);
    expect(replies.slice(8)).toEqual(["You're asking faster than I can answer. Please wait a moment.", "You're asking faster than I can answer. Please wait a moment."]);
  });
});

async function aiStepServer(app: FastifyInstance) {
  const flow = parseFlow({
    id: 'ask',
    name: 'Ask',
    version: 1,
    start: 'name',
    steps: {
      name: { type: 'input', kind: 'text', text: 'Your name?', var: 'name', next: 'ask' },
      ask: { type: 'ai', text: 'Ask me anything about our plans, {{name}}.', instructions: 'The visitor is called {{name}}. Only talk about plans.', var: 'answer', next: 'bye' },
      bye: { type: 'end', text: 'Thanks, {{name}}!' },
    },
  });
  await app.flows.activate(app.companies.defaultCompany().id, flow);
}

describe('the ai flow step', () => {
  it('hands a turn to the model with the flow variables, then moves on', async () => {
    const { app, http, fake } = await aiServer({ chunks: ['Pro costs 10 EUR a month.'] });
    await aiStepServer(app);
    const start = (await call<ChatbotStartResponse>(http, 'GET', '/api/chatbot')).body;
    const say = (message: string) => call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message, chatbot_session: start.chatbot_session } });
    expect(texts((await say('Ada')).body.BOT.components)).toEqual(['Ask me anything about our plans, Ada.']);
    const reply = await say('How much is Pro?');
    expect(texts(reply.body.BOT.components)).toEqual(['Pro costs 10 EUR a month.', 'Thanks, Ada!']);
    expect(reply.body.is_terminal).toBe(true);
    const system = fake.received[0]!.body.messages[0]!.content!;
    expect(system).toContain('- name: Ada');
    expect(system).toContain('The visitor is called Ada. Only talk about plans.');
  });

  it('moves on with a fallback when AI is off', async () => {
    const { app, http, owner } = await aiServer();
    await call(http, 'PUT', '/api/ai/config', { token: owner.token, body: { enabled: false } });
    await aiStepServer(app);
    const start = (await call<ChatbotStartResponse>(http, 'GET', '/api/chatbot')).body;
    const say = (message: string) => call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message, chatbot_session: start.chatbot_session } });
    await say('Ada');
    const reply = await say('How much is Pro?');
    expect(texts(reply.body.BOT.components)).toEqual(['Our assistant is not available right now.', 'Thanks, Ada!']);
  });
});

describe('AI settings from the environment', () => {
  it('apply to the default company until settings are saved', async () => {
    const fake = await startFakeOpenAI(() => ({ chunks: ['From env'] }));
    onCleanup(fake.close);
    const saved = { ...process.env };
    Object.assign(process.env, { PARLEY_AI_BASE_URL: fake.baseUrl, PARLEY_AI_MODEL: 'env-model', PARLEY_AI_API_KEY: 'sk-env' });
    onCleanup(() => {
      for (const key of ['PARLEY_AI_BASE_URL', 'PARLEY_AI_MODEL', 'PARLEY_AI_API_KEY']) delete process.env[key];
      Object.assign(process.env, saved);
    });
    const { http } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const view = await call<AiConfigView>(http, 'GET', '/api/ai/config', { token: owner.token });
    expect(view.body).toMatchObject({ enabled: true, model: 'env-model', api_key_set: true, source: 'environment' });
    const start = (await call<ChatbotStartResponse>(http, 'GET', '/api/chatbot')).body;
    const reply = await call<ChatbotReply>(http, 'POST', '/api/chatbot', { body: { message: question, chatbot_session: start.chatbot_session } });
    expect(texts(reply.body.BOT.components)[0]).toBe('From env');
    expect(fake.received[0]!.body.model).toBe('env-model');
  });
});
