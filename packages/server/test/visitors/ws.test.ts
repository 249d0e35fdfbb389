import { describe, expect, it } from 'vitest';
import type { AckFrame, ChatbotStartResponse, ErrorFrame, MessageFrame, StateFrame, WelcomeFrame } from '@parley/protocol';
import { PNG_1PX, rawSql, startTestServer, testNodes, TestSocket, texts } from '../helper.js';

const isBotMessage = (f: { type: string }) => f.type === 'message' && (f as MessageFrame).message.role === 'bot';

async function hello(ws: string, frame: Record<string, unknown> = {}) {
  const socket = await TestSocket.open(ws);
  socket.send({ type: 'hello', ...frame });
  const welcome = await socket.nextOf<WelcomeFrame>('welcome');
  return { socket, welcome };
}

/** Sends a message or action and returns its ack and the bot's reply. */
async function turn(socket: TestSocket, type: 'message' | 'action', id: string, value: string) {
  socket.send(type === 'message' ? { type, id, text: value } : { type, id, value });
  const ack = await socket.next<AckFrame>((f) => f.type === 'ack' && (f as AckFrame).id === id);
  const reply = await socket.next<MessageFrame>(isBotMessage);
  return { ack, reply, text: texts(reply.message.components) };
}

describe('the visitor WebSocket', () => {
  it('holds the whole damaged-product conversation with an upload', async () => {
    const { app, http, ws } = await startTestServer();
    const { socket, welcome } = await hello(ws);
    expect(welcome).toMatchObject({ status: 'bot', last_seq: 1, is_terminal: false, resumed: false });
    const greeting = await socket.next<MessageFrame>(isBotMessage);
    expect(greeting.message.seq).toBe(1);
    expect(texts(greeting.message.components)[0]).toContain('Are you an existing customer?');

    expect((await turn(socket, 'action', 'a1', 'yes')).text).toEqual(['Please enter your account number (6 to 10 digits).']);
    expect((await turn(socket, 'message', 'm2', '1234567')).text[0]).toMatch(/one-time code/);
    const wrong = await turn(socket, 'message', 'm3', '999999');
    expect(wrong.reply.message.components[0]).toEqual({ type: 'error', payload: { text: 'Invalid OTP entered. You have 2 attempt(s) left.' } });
    expect((await turn(socket, 'message', 'm4', '123456')).text[0]).toMatch(/How can we help you today/);
    const carousel = await turn(socket, 'action', 'a5', 'damaged');
    expect(carousel.reply.message.components[1]!.type).toBe('product_carousel');
    const picked = await turn(socket, 'action', 'a6', '3');
    expect(picked.reply.message.components.map((c) => c.type)).toEqual(['text', 'selected_product_card', 'text', 'file_request']);

    const form = new FormData();
    form.set('chatbot_session', welcome.session);
    form.set('image', new Blob([PNG_1PX], { type: 'image/png' }), 'damage.png');
    const uploaded = (await (await fetch(`${http}/api/upload-image/`, { method: 'POST', body: form })).json()) as { uploaded_image_url: string };
    expect((await turn(socket, 'action', 'a7', uploaded.uploaded_image_url)).text).toEqual(['Please enter the Damaged Quantity']);
    const done = await turn(socket, 'message', 'm8', '2');
    expect(done.text[0]).toMatch(/Your reference is <b>PAR-[0-9A-Z]{8}<\/b>/);
    expect(done.ack.seq).toBe(16);
    expect(done.reply.message.seq).toBe(17);

    const seqs = await app.db.selectFrom('messages').select('seq').orderBy('seq').execute();
    expect(seqs.map((r) => r.seq)).toEqual([...Array(17).keys()].map((i) => i + 1));
    const conversation = await app.db.selectFrom('conversations').select(['is_terminal', 'last_seq']).executeTakeFirstOrThrow();
    expect(conversation).toEqual({ is_terminal: 1, last_seq: 17 });
  });

  it('acknowledges a message only once it is committed', async () => {
    const { app, ws } = await startTestServer();
    const { socket } = await hello(ws);
    const countMessages = async (id: string) => Number((await rawSql<{ n: number }>(app, 'SELECT count(*) AS n FROM messages WHERE client_id = ?', id))[0]!.n);
    socket.send({ type: 'message', id: 'c1', text: 'yes' });
    const ack = await socket.next<AckFrame>((f) => f.type === 'ack');
    // The ack arrived: a fresh connection to the same file must see the row.
    const seen = await countMessages('c1');
    expect(ack).toEqual({ type: 'ack', id: 'c1', seq: 2 });
    expect(seen).toBe(1);
  });

  it('stores and answers a resent message once, however often it is resent', async () => {
    const { app, ws } = await startTestServer();
    const { socket } = await hello(ws);
    for (let i = 0; i < 3; i++) socket.send({ type: 'action', id: 'dup-1', value: 'yes' });
    const acks = [await socket.nextOf<AckFrame>('ack'), await socket.nextOf<AckFrame>('ack'), await socket.nextOf<AckFrame>('ack')];
    expect(acks.map((a) => a.seq)).toEqual([2, 2, 2]);
    socket.send({ type: 'action', id: 'dup-1', value: 'yes' });
    expect((await socket.nextOf<AckFrame>('ack')).seq).toBe(2);
    socket.send({ type: 'ping', t: 1 });
    await socket.nextOf('pong');
    const bots = socket.frames.filter(isBotMessage);
    expect(bots).toHaveLength(2);
    const rows = await app.db.selectFrom('messages').select(['seq', 'role']).orderBy('seq').execute();
    expect(rows).toEqual([
      { seq: 1, role: 'bot' },
      { seq: 2, role: 'user' },
      { seq: 3, role: 'bot' },
    ]);
  });

  it('resumes after a disconnect, replaying exactly what was missed', async () => {
    const { ws } = await startTestServer();
    const first = await hello(ws);
    await first.socket.next(isBotMessage);
    await turn(first.socket, 'action', 'a1', 'yes');
    first.socket.close();
    await first.socket.closed;

    // Another tab moves the conversation on while the first is away.
    const other = await hello(ws, { session: first.welcome.session, last_seq: 3 });
    await turn(other.socket, 'message', 'm2', '7654321');
    other.socket.close();

    const back = await hello(ws, { session: first.welcome.session, last_seq: 3 });
    expect(back.welcome).toMatchObject({ resumed: true, last_seq: 5, conversation_id: first.welcome.conversation_id });
    const replayed = [await back.socket.nextOf<MessageFrame>('message'), await back.socket.nextOf<MessageFrame>('message')];
    expect(replayed.map((f) => [f.message.seq, f.message.role, f.message.client_id])).toEqual([
      [4, 'user', 'm2'],
      [5, 'bot', undefined],
    ]);
    // Everything from the start, when the client has nothing.
    const fresh = await hello(ws, { session: first.welcome.session });
    for (let seq = 1; seq <= 5; seq++) expect((await fresh.socket.nextOf<MessageFrame>('message')).message.seq).toBe(seq);
  });

  it('shows one tab what the visitor sent from another', async () => {
    const { ws } = await startTestServer();
    const a = await hello(ws);
    const b = await hello(ws, { session: a.welcome.session, last_seq: 1 });
    a.socket.send({ type: 'action', id: 'x1', value: 'no' });
    expect(await a.socket.nextOf<AckFrame>('ack')).toEqual({ type: 'ack', id: 'x1', seq: 2 });
    const echoed = await b.socket.nextOf<MessageFrame>('message');
    expect(echoed.message).toMatchObject({ seq: 2, role: 'user', client_id: 'x1', components: [{ type: 'text', payload: { text: 'No' } }] });
    expect((await b.socket.next<MessageFrame>(isBotMessage)).message.seq).toBe(3);
  });

  it('continues over WebSocket a conversation started over HTTP, and the reverse', async () => {
    const { http, ws } = await startTestServer();
    const started = (await (await fetch(`${http}/api/chatbot`)).json()) as ChatbotStartResponse;
    const { socket, welcome } = await hello(ws, { session: started.chatbot_session, last_seq: 1 });
    expect(welcome.resumed).toBe(true);
    expect((await turn(socket, 'action', 'a1', 'yes')).text[0]).toMatch(/account number/);
    const res = await fetch(`${http}/api/chatbot`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: '1234567', chatbot_session: welcome.session }),
    });
    expect(texts(((await res.json()) as ChatbotStartResponse).BOT.components)[0]).toMatch(/one-time code/);
    // The socket sees the turn taken over HTTP.
    expect((await socket.nextOf<MessageFrame>('message')).message).toMatchObject({ seq: 4, role: 'user' });
    expect((await socket.nextOf<MessageFrame>('message')).message).toMatchObject({ seq: 5, role: 'bot' });
  });
});

describe('visitor WebSocket hardening', () => {
  it('answers malformed frames with errors and stays usable', async () => {
    const { ws } = await startTestServer();
    const { socket } = await hello(ws);
    const bad: Array<[unknown, string]> = [
      ['not json', 'bad_request'],
      ['[1,2]', 'bad_request'],
      [{ type: 'launch' }, 'bad_request'],
      [{ type: 'message', id: 'm1', text: 42 }, 'validation_failed'],
      [{ type: 'message', id: 'm1', text: 'hi', sender: 'agent' }, 'validation_failed'],
      ['{"type":"message","id":"m1","text":"hi","__proto__":{"x":1}}', 'validation_failed'],
      [{ type: 'message', id: 'has space', text: 'hi' }, 'validation_failed'],
      [{ type: 'message', id: 'm1', text: 'x'.repeat(4001) }, 'validation_failed'],
      [{ type: 'hello' }, 'not_ready'],
    ];
    for (const [frame, code] of bad) {
      socket.send(frame);
      const error = await socket.nextOf<ErrorFrame>('error');
      expect(error.code, JSON.stringify(frame).slice(0, 80)).toBe(code);
    }
    socket.socket.send(Buffer.from([1, 2, 3]));
    expect((await socket.nextOf<ErrorFrame>('error')).code).toBe('bad_request');
    expect((await turn(socket, 'action', 'ok1', 'yes')).text[0]).toMatch(/account number/);
  });

  it('names the field that failed validation', async () => {
    const { ws } = await startTestServer();
    const { socket } = await hello(ws);
    socket.send({ type: 'message', id: 'm9', text: 42 });
    const error = await socket.nextOf<ErrorFrame>('error');
    expect(error).toMatchObject({ code: 'validation_failed', id: 'm9' });
    expect(error.message).toMatch(/^text: /);
  });

  it('closes with 1008 after ten malformed frames in a row', async () => {
    const { ws } = await startTestServer();
    const { socket } = await hello(ws);
    for (let i = 0; i < 10; i++) socket.send('{');
    expect(await socket.closed).toBe(1008);
  });

  it('closes with 1009 on a frame over 64 KiB', async () => {
    const { ws } = await startTestServer();
    const { socket } = await hello(ws);
    socket.send({ type: 'message', id: 'big', text: 'x'.repeat(70 * 1024) });
    expect(await socket.closed).toBe(1009);
  });

  it('needs hello first, and refuses unknown sessions', async () => {
    const { ws } = await startTestServer();
    const socket = await TestSocket.open(ws);
    socket.send({ type: 'message', id: 'm1', text: 'hi' });
    expect(await socket.nextOf<ErrorFrame>('error')).toMatchObject({ code: 'not_ready', id: 'm1' });
    socket.send({ type: 'hello', session: 'D'.repeat(32) });
    expect((await socket.nextOf<ErrorFrame>('error')).code).toBe('not_found');
    socket.send({ type: 'hello' });
    expect((await socket.nextOf<WelcomeFrame>('welcome')).resumed).toBe(false);
  });

  it('closes a closed session with 4404', async () => {
    const { http, ws } = await startTestServer();
    const { socket, welcome } = await hello(ws);
    await fetch(`${http}/api/session-close/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chatbot_session: welcome.session }),
    });
    expect((await socket.nextOf<StateFrame>('state')).status).toBe('closed');
    expect(await socket.closed).toBe(4404);
    const again = await TestSocket.open(ws);
    again.send({ type: 'hello', session: welcome.session });
    expect((await again.nextOf<ErrorFrame>('error')).code).toBe('session_closed');
    expect(await again.closed).toBe(4404);
  });

  it('rate-limits a flooding connection', async () => {
    const { ws } = await startTestServer({ limits: { wsFramesPerSecond: 5 } });
    const { socket } = await hello(ws);
    for (let i = 0; i < 30; i++) socket.send({ type: 'message', id: `f${i}`, text: 'flood' });
    const limited = await socket.next<ErrorFrame>((f) => f.type === 'error' && (f as ErrorFrame).code === 'rate_limited');
    expect(limited.id).toMatch(/^f\d+$/);
  });

  // Frame budgets and connection caps are kept by each node (docs/scaling.md): one node's test.
  it.skipIf(testNodes > 1)('shares one frame budget between the connections of an address', async () => {
    const { ws } = await startTestServer({ limits: { wsFramesPerSecond: 100, wsFramesPerSecondPerIp: 5 } });
    const a = await hello(ws);
    const b = await hello(ws);
    for (let i = 0; i < 10; i++) {
      a.socket.send({ type: 'message', id: `a${i}`, text: 'hi' });
      b.socket.send({ type: 'message', id: `b${i}`, text: 'hi' });
    }
    const limited = await b.socket.next<ErrorFrame>((f) => f.type === 'error' && (f as ErrorFrame).code === 'rate_limited');
    expect(limited.id).toMatch(/^b\d+$/);
  });

  it('limits how fast an address opens new connections', async () => {
    const { ws } = await startTestServer({ limits: { wsConnectsPerMinutePerIp: 4 } });
    await TestSocket.open(ws);
    await TestSocket.open(ws);
    await expect(TestSocket.open(ws)).rejects.toThrow('HTTP 429');
  });

  it('checks the Origin against the company’s allowed origins', async () => {
    const { app, ws } = await startTestServer();
    const company = app.companies.defaultCompany();
    await app.db.updateTable('companies').set({ allowed_origins: JSON.stringify(['https://shop.example']) }).where('id', '=', company.id).execute();
    await app.companies.refresh(company.id);
    await expect(TestSocket.open(ws, { origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    const ok = await TestSocket.open(ws, { origin: 'https://shop.example' });
    ok.send({ type: 'hello' });
    await ok.nextOf('welcome');
  });

  it.skipIf(testNodes > 1)('caps connections per address', async () => {
    const { ws } = await startTestServer({ limits: { wsConnectionsPerIp: 2 } });
    await TestSocket.open(ws);
    await TestSocket.open(ws);
    await expect(TestSocket.open(ws)).rejects.toThrow('HTTP 429');
  });

  it('closes sockets with 1001 when the server shuts down, and nothing acknowledged is lost', async () => {
    const { app, ws } = await startTestServer();
    const { socket } = await hello(ws);
    const ack = await turn(socket, 'action', 'a1', 'yes');
    await app.close();
    expect(await socket.closed).toBe(1001);
    expect(ack.ack.seq).toBe(2);
  });
});
