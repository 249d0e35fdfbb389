// @vitest-environment node
// The client needs no DOM, and the real server runs in this same process: happy-dom would replace
// Node globals the server relies on (URL), so this file runs under plain Node with `ws` injected.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { ParleyClient, backoffDelay, type ParleyClientOptions, type WebSocketConstructor } from '../src/client/index.js';
import { MemoryStorage, TestServer, until } from './server.js';
import { Typing } from '../src/protocol.js';
import { testClient } from './clients.js';

const server = new TestServer();
const clients: ParleyClient[] = [];

beforeAll(async () => {
  await server.start();
});
afterAll(async () => {
  await server.dispose();
});
afterEach(() => {
  while (clients.length) clients.pop()!.disconnect();
});

function client(options: Partial<ParleyClientOptions> = {}): ParleyClient {
  return testClient(server.url, clients, options);
}

const texts = (c: ParleyClient) =>
  c.messages.map((m) => `${m.seq}:${m.role}:${m.components.map((x) => ('text' in x.payload ? x.payload.text : x.type)).join('|')}`);
const lastBot = (c: ParleyClient) => [...c.messages].reverse().find((m) => m.role === 'bot');

/**
 * A real `ws` socket with a fault: the first time the client sends a frame matching `match`, the
 * server gets it but the connection is cut before any answer reaches the client.
 */
function socketThatDropsAfter(match: (frame: { type: string }) => boolean, sent: string[] = []): WebSocketConstructor {
  let dropped = false;
  return class extends WebSocket {
    override send(data: string): void {
      sent.push(data);
      super.send(data);
      if (!dropped && match(JSON.parse(data) as { type: string })) {
        dropped = true;
        this.onmessage = null;
        setTimeout(() => this.terminate(), 20);
      }
    }
  } as unknown as WebSocketConstructor;
}

describe('ParleyClient against a real server', () => {
  it('writes nothing and connects to nothing until connect(), then starts a conversation', async () => {
    const storage = new MemoryStorage();
    const c = client({ storage });
    expect(c.connection).toBe('idle');
    expect(storage.writes).toBe(0);
    c.connect();
    await until(() => c.messages.length === 1, 'greeting');
    expect(c.connection).toBe('online');
    expect(c.messages[0]!.components.map((x) => x.type)).toEqual(['text', 'button_options']);
    expect(JSON.parse(storage.getItem(`parley:${server.url}:`)!).session).toBe(c.session);
  });

  it('sends a click, shows its label, then the reply with its input hint; "thinking" in between', async () => {
    const c = client();
    c.connect();
    await until(() => c.messages.length === 1, 'greeting');
    c.sendAction('yes', 'Yes');
    expect(c.thinking).toBe(true);
    expect(c.pending).toHaveLength(1);
    await until(() => c.messages.length === 3, 'reply');
    expect(c.thinking).toBe(false);
    expect(c.pending).toHaveLength(0);
    expect(texts(c)[1]).toBe('2:user:Yes');
    expect(c.inputHint).toEqual({ kind: 'number', placeholder: 'Account number' });
  });

  it('resumes the conversation after a reload from the saved session, without duplicates', async () => {
    const storage = new MemoryStorage();
    const first = client({ storage });
    first.connect();
    await until(() => first.messages.length === 1, 'greeting');
    first.sendAction('no', 'No');
    await until(() => first.messages.length === 3, 'reply');
    first.disconnect();

    const reloaded = client({ storage });
    expect(reloaded.hasSession).toBe(true);
    reloaded.connect();
    await until(() => reloaded.messages.length === 3, 'replay');
    expect(reloaded.session).toBe(first.session);
    expect(texts(reloaded)).toEqual(texts(first));
    reloaded.sendMessage('Ada Lovelace');
    await until(() => reloaded.messages.length === 5, 'next question');
    expect(reloaded.messages.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5]);
  });

  it('stores a message once when the ack is lost and the client resends it with the same id', async () => {
    const frames: string[] = [];
    const c = client({ WebSocket: socketThatDropsAfter((f) => f.type === 'action', frames) });
    c.connect();
    await until(() => c.messages.length === 1, 'greeting');
    const sent = c.sendAction('yes', 'Yes');
    await until(() => c.messages.length === 3 && c.connection === 'online', 'reply after reconnect');
    await new Promise((r) => setTimeout(r, 200));
    const history = await server.history(c.session!);
    expect(frames.filter((f) => f.includes(`"id":"${sent.id}"`))).toHaveLength(2);
    expect(history.filter((m) => m.client_id === sent.id)).toHaveLength(1);
    expect(history.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(c.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('queues what is typed while the server restarts and delivers it exactly once', async () => {
    const c = client();
    c.connect();
    await until(() => c.messages.length === 1, 'greeting');
    const states: string[] = [];
    c.on('connection', (s) => states.push(s));
    await server.stop();
    await until(() => c.connection === 'reconnecting', 'reconnecting');
    const typed = c.sendAction('no', 'No');
    expect(c.pending.map((p) => p.id)).toEqual([typed.id]);
    await server.start();
    await until(() => c.messages.length === 3, 'reply after restart', 15_000);
    expect(states).toContain('reconnecting');
    expect(c.connection).toBe('online');
    const history = await server.history(c.session!);
    expect(history.filter((m) => m.client_id === typed.id)).toHaveLength(1);
    expect(history.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(c.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('keeps an unsent message in storage across a reload and sends it then', async () => {
    const storage = new MemoryStorage();
    const first = client({ storage });
    first.connect();
    await until(() => first.messages.length === 1, 'greeting');
    await server.stop();
    await until(() => first.connection === 'reconnecting', 'reconnecting');
    const typed = first.sendAction('yes', 'Yes');
    first.disconnect();
    await server.start();
    const reloaded = client({ storage });
    expect(reloaded.pending.map((p) => p.id)).toEqual([typed.id]);
    reloaded.connect();
    await until(() => reloaded.messages.length === 3, 'reply');
    expect((await server.history(reloaded.session!)).filter((m) => m.client_id === typed.id)).toHaveLength(1);
  });

  it('falls back to the HTTP API when no WebSocket can open, and still runs the flow', async () => {
    const refused = class extends WebSocket {
      constructor() {
        super('ws://127.0.0.1:1/ws');
      }
    } as unknown as WebSocketConstructor;
    const c = client({ WebSocket: refused, pollMs: 200 });
    c.connect();
    await until(() => c.connection === 'polling' && c.messages.length === 1, 'greeting over HTTP');
    c.sendAction('yes', 'Yes');
    await until(() => c.messages.length === 3, 'reply over HTTP');
    expect(texts(c)[1]).toBe('2:user:Yes');
    expect(c.pending).toHaveLength(0);
    c.sendMessage('12');
    await until(() => c.messages.length === 5, 'validation error over HTTP');
    expect(lastBot(c)!.components[0]!.type).toBe('error');
  });

  it('marks a message the server refuses as failed instead of resending it forever', async () => {
    const c = client();
    c.connect();
    await until(() => c.messages.length === 1, 'greeting');
    const tooLong = c.sendMessage('x'.repeat(4001));
    await until(() => c.pending[0]?.state === 'failed', 'refusal');
    expect(c.pending[0]!.id).toBe(tooLong.id);
    expect(c.thinking).toBe(false);
  });

  it('counts unread replies while hidden and clears them when shown', async () => {
    const storage = new MemoryStorage();
    const c = client({ storage });
    const counts: number[] = [];
    c.on('unread', (n) => counts.push(n));
    c.connect();
    await until(() => c.messages.length === 1, 'greeting');
    expect(c.unread).toBe(1);
    c.setVisible(true);
    expect(c.unread).toBe(0);
    c.setVisible(false);
    c.sendAction('yes', 'Yes');
    await until(() => c.messages.length === 3, 'reply');
    expect(c.unread).toBe(1);
    expect(counts).toEqual([1, 0, 1]);
    expect(JSON.parse(storage.getItem(`parley:${server.url}:`)!).read).toBe(1);
  });

  it('starts a new conversation when the session is closed on the server', async () => {
    const c = client();
    c.connect();
    await until(() => c.messages.length === 1, 'greeting');
    const old = c.session!;
    const closed = await fetch(`${server.url}/api/session-close/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chatbot_session: old }),
    });
    expect(closed.status).toBe(200);
    await until(() => c.session && c.session !== old && c.messages.length === 1, 'new conversation');
    expect(c.messages[0]!.seq).toBe(1);
  });

  it('sends page attributes once connected, and again to the new conversation after a reset', async () => {
    const c = client();
    const attributes = async (session: string) => (await server.app!.conversations.get((await server.app!.chat.resolveSession(session)).id))?.attributes;
    c.setAttributes({ plan: 'pro', cart_total: 42 });
    expect(() => c.setAttributes({ 'no spaces': 1 })).toThrow(TypeError);
    expect(() => c.setAttributes({ note: 'x'.repeat(501) })).toThrow(TypeError);
    c.connect();
    await until(() => c.messages.length === 1, 'greeting');
    await until(async () => (await attributes(c.session!))?.plan === 'pro', 'attributes stored');
    c.setAttributes({ cart_total: null, coupon: 'SPRING' });
    await until(async () => (await attributes(c.session!))?.coupon === 'SPRING', 'attributes merged');
    expect(await attributes(c.session!)).toEqual({ plan: 'pro', coupon: 'SPRING' });
    const old = c.session!;
    await c.reset();
    await until(() => c.session !== undefined && c.session !== old, 'new conversation');
    await until(async () => (await attributes(c.session!))?.coupon === 'SPRING', 'attributes on the new conversation');
    expect(await attributes(c.session!)).toEqual({ plan: 'pro', coupon: 'SPRING' });
  });

  it('asks for a person: the server queues the conversation and the bot stays quiet', async () => {
    const c = client();
    const handoffs: Array<{ status: string; position?: number | undefined }> = [];
    c.on('handoff', (h) => handoffs.push(h));
    c.connect();
    await until(() => c.messages.length === 1, 'greeting');
    const asked = c.requestPerson();
    expect(c.thinking).toBe(false);
    await until(() => c.status === 'waiting' && c.messages.some((m) => m.role === 'system'), 'queued');
    expect(handoffs[0]).toMatchObject({ status: 'waiting' });
    const history = await server.history(c.session!);
    expect(history.filter((m) => m.client_id === asked.id)).toHaveLength(1);
    expect(JSON.stringify(history.find((m) => m.role === 'system')!.components)).toContain('number 1 in line');
  });

  it('drops a "typing…" that nobody refreshes within Typing.ttlMs (the typist, or their node, may be gone)', async () => {
    const c = client();
    c.connect();
    await until(() => c.messages.length === 1, 'greeting');
    const conversation = (await server.app!.conversations.bySessionToken(c.session!))!;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      server.app!.chat.typing(conversation, 'agent', true, undefined, 'Dana');
      for (let i = 0; i < 500 && !c.typingInfo; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(c.typingInfo).toEqual({ role: 'agent', name: 'Dana' });
      vi.advanceTimersByTime(Typing.ttlMs - 50);
      expect(c.typingInfo).toBeDefined();
      vi.advanceTimersByTime(100);
      expect(c.typingInfo).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });

  it('says hello again, after a pause, when the server could not take it (an internal error before welcome)', async () => {
    const hellos: string[] = [];
    class RefusesFirstHello extends WebSocket {
      override send(data: string): void {
        if ((JSON.parse(data) as { type: string }).type === 'hello' && hellos.push(data) === 1) {
          // What a node answers when the write that starts the conversation failed.
          setTimeout(() => this.emit('message', Buffer.from(JSON.stringify({ type: 'error', code: 'internal', message: 'Internal Server Error' }))), 5);
          return;
        }
        super.send(data);
      }
    }
    const c = client({ WebSocket: RefusesFirstHello as unknown as WebSocketConstructor });
    c.connect();
    await until(() => c.messages.length === 1, 'greeting after the second hello');
    expect(hellos).toHaveLength(2);
    expect(c.connection).toBe('online');
  });

  it('starts afresh when the saved session is unknown to the server', async () => {
    const storage = new MemoryStorage();
    storage.setItem(`parley:${server.url}:`, JSON.stringify({ session: 'unknown-session-token-1234', read: 0, outbox: [] }));
    const c = client({ storage });
    c.connect();
    await until(() => c.messages.length === 1 && c.session !== 'unknown-session-token-1234', 'new conversation');
  });
});

describe('backoffDelay', () => {
  it('doubles from the minimum up to the maximum, randomized by ±50 %', () => {
    expect(backoffDelay(0, 500, 30_000, () => 0)).toBe(250);
    expect(backoffDelay(0, 500, 30_000, () => 0.999)).toBe(750);
    expect(backoffDelay(3, 500, 30_000, () => 0.5)).toBe(4000);
    expect(backoffDelay(20, 500, 30_000, () => 0.5)).toBe(30_000);
    expect(backoffDelay(20, 500, 30_000, () => 0)).toBe(15_000);
  });
});
