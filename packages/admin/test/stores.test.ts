// @vitest-environment node
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatSummary } from '@parley/protocol';
import type { SocketLike } from '../src/api/agent-socket.js';
import { InboxStore } from '../src/store/inbox-store.js';
import { SessionStore } from '../src/store/session-store.js';
import { MemoryStorage, OWNER, TestServer, until } from './server.js';
import { RawVisitor } from './visitor.js';

const server = new TestServer();
beforeAll(() => server.start());
afterAll(() => server.dispose());

const Ws = WebSocket as unknown as new (url: string) => SocketLike;

async function signedIn(storage = new MemoryStorage()): Promise<SessionStore> {
  const session = new SessionStore({ baseUrl: server.url, storage });
  expect(await session.login(OWNER.email, OWNER.password)).toBe(true);
  return session;
}

function inbox(session: SessionStore, handoffs: ChatSummary[] = []): InboxStore {
  const store = new InboxStore(session, { socketUrl: `${server.wsUrl}/ws/agent`, WebSocket: Ws, onHandoff: (chat) => handoffs.push(chat) });
  store.start();
  return store;
}

describe('session store against the server', () => {
  it('refuses a wrong password, signs in, and stays signed in after a reload', async () => {
    const storage = new MemoryStorage();
    const session = new SessionStore({ baseUrl: server.url, storage });
    expect(await session.login(OWNER.email, 'not-the-password')).toBe(false);
    expect(session.error).toBe('Wrong email or password.');
    expect(session.status).not.toBe('signed-in');
    expect(await session.login(OWNER.email, OWNER.password)).toBe(true);
    expect(session.user?.email).toBe(OWNER.email);
    expect(session.isAdmin).toBe(true);

    const reloaded = new SessionStore({ baseUrl: server.url, storage });
    await reloaded.restore();
    expect(reloaded.status).toBe('signed-in');
    expect(reloaded.user?.id).toBe(session.user?.id);

    reloaded.logout();
    const afterLogout = new SessionStore({ baseUrl: server.url, storage });
    await afterLogout.restore();
    expect(afterLogout.status).toBe('signed-out');
  });

  it('signs out when the server no longer accepts the saved token', async () => {
    const storage = new MemoryStorage();
    storage.setItem('parley.admin.session', JSON.stringify({ token: 'e30.e30.forged', expires_at: new Date(Date.now() + 3600_000).toISOString() }));
    const session = new SessionStore({ baseUrl: server.url, storage });
    await session.restore();
    expect(session.status).toBe('signed-out');
    expect(storage.getItem('parley.admin.session')).toBeNull();
  });
});

describe('inbox store against the server', () => {
  it('follows a visitor from the bot to a person and back: hand-off, claim, typing, replies, read, resolve', async () => {
    const session = await signedIn();
    const handoffs: ChatSummary[] = [];
    const store = inbox(session, handoffs);
    try {
      await until(() => store.connection === 'open', 'agent socket open');
      const visitor = await RawVisitor.connect(server.wsUrl);
      const id = visitor.conversationId;
      await until(() => store.chats.get(id), 'the new conversation in the inbox');

      visitor.askForPerson();
      await until(() => store.chats.get(id)?.status === 'waiting', 'waiting');
      await until(() => handoffs.some((c) => c.id === id), 'hand-off notice');
      expect(store.list('waiting').map((c) => c.id)).toContain(id);

      await store.open(id);
      expect(store.messages.get(id)!.length).toBeGreaterThan(0);
      expect(await store.act(id, 'claim')).toBe(true);
      expect(store.chats.get(id)).toMatchObject({ status: 'agent', assignee: { id: session.user!.id } });
      expect(store.list('mine').map((c) => c.id)).toContain(id);

      visitor.typing(true);
      await until(() => store.typing.get(id)?.visitor, 'visitor typing seen by the agent');
      store.setTyping(id, true);
      await visitor.next((f) => f.type === 'typing' && f.role === 'agent' && f.on);

      store.reply(id, 'Hello, I am here to help.');
      expect(store.pendingIn(id)).toHaveLength(1);
      await visitor.message('Hello, I am here to help.', 'agent');
      await until(() => store.pendingIn(id).length === 0 && store.messages.get(id)!.some((m) => m.role === 'agent'), 'reply stored');

      await visitor.say('Thanks! My order is late.');
      await until(() => store.messages.get(id)!.some((m) => JSON.stringify(m.components).includes('My order is late')), 'visitor message');
      expect(store.typing.get(id)?.visitor).toBe(false);
      store.markRead(id);
      expect(store.chats.get(id)!.unread_count).toBe(0);

      expect(await store.act(id, 'resolve')).toBe(true);
      expect(store.chats.get(id)!.status).toBe('resolved');
      const again = await visitor.say('hello again');
      await visitor.next((f) => f.type === 'message' && f.message.role === 'bot' && f.message.seq > again);
      await until(() => store.messages.get(id)!.some((m) => m.role === 'bot' && m.seq > again), 'the bot answering again, seen by the agent');
      visitor.close();
    } finally {
      store.stop();
    }
  });

  it('keeps two agents consistent: a claim, replies and reads show on both', async () => {
    const owner = await signedIn();
    await owner.api.createUser({ email: 'eve@parley.test', name: 'Eve', password: 'eve-password-1', role: 'agent' });
    const eve = new SessionStore({ baseUrl: server.url, storage: new MemoryStorage() });
    expect(await eve.login('eve@parley.test', 'eve-password-1')).toBe(true);
    const mine = inbox(owner);
    const hers = inbox(eve);
    try {
      await until(() => mine.connection === 'open' && hers.connection === 'open', 'both sockets open');
      await until(() => mine.onlineAgents.has(eve.user!.id), 'Eve seen online');
      const visitor = await RawVisitor.connect(server.wsUrl);
      const id = visitor.conversationId;
      visitor.askForPerson();
      await until(() => mine.chats.get(id)?.status === 'waiting' && hers.chats.get(id)?.status === 'waiting', 'both see the hand-off');

      await hers.open(id);
      expect(await hers.act(id, 'claim')).toBe(true);
      await until(() => mine.chats.get(id)?.assignee?.name === 'Eve', 'the owner sees Eve has it');
      await mine.open(id);
      hers.reply(id, 'Eve here.');
      await until(() => mine.messages.get(id)?.some((m) => m.role === 'agent' && m.author?.name === 'Eve'), "Eve's reply on the owner's screen");

      // Neither has the conversation on screen now, so nobody reads it at once.
      mine.activeId = hers.activeId = undefined;
      await visitor.say('Thanks Eve');
      await until(() => (mine.chats.get(id)?.unread_count ?? 0) > 0, 'unread for the owner');
      await until(() => (hers.chats.get(id)?.unread_count ?? 0) > 0, 'unread for Eve');
      hers.markRead(id);
      await until(() => mine.chats.get(id)?.unread_count === 0, "Eve's read clears the owner's count");
      visitor.close();
    } finally {
      mine.stop();
      hers.stop();
    }
  });

  it('gets back what it missed while its connection was down', async () => {
    const session = await signedIn();
    const store = inbox(session);
    try {
      await until(() => store.connection === 'open', 'agent socket open');
      const visitor = await RawVisitor.connect(server.wsUrl);
      const id = visitor.conversationId;
      await until(() => store.chats.get(id), 'conversation listed');
      await store.open(id);
      store.reconnect();
      await until(() => store.connection !== 'open', 'socket dropped');
      await visitor.say('sent while the agent was offline');
      await until(() => store.connection === 'open', 'socket back', 15_000);
      await until(() => store.messages.get(id)!.some((m) => JSON.stringify(m.components).includes('while the agent was offline')), 'missed message fetched');
      const seqs = store.messages.get(id)!.map((m) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(seqs.length);
      visitor.close();
    } finally {
      store.stop();
    }
  });

  it('drops a conversation deleted while its connection was down, though it was never opened', async () => {
    const session = await signedIn();
    let offline = false;
    /** The agent's network: while offline, every connection attempt fails. */
    class Flaky extends WebSocket {
      constructor(url: string) {
        super(offline ? 'ws://127.0.0.1:9/ws/agent' : url);
      }
    }
    const store = new InboxStore(session, { socketUrl: `${server.wsUrl}/ws/agent`, WebSocket: Flaky as unknown as new (url: string) => SocketLike });
    store.start();
    const visitor = await RawVisitor.connect(server.wsUrl);
    const id = visitor.conversationId;
    try {
      await until(() => store.connection === 'open' && store.chats.get(id), 'the conversation listed');
      offline = true;
      store.reconnect();
      await until(() => store.connection === 'reconnecting', 'socket down');
      await session.api.deleteChat(id);
      offline = false;
      store.retryNow();
      await until(() => store.connection === 'open', 'socket back');
      await until(() => !store.chats.has(id), 'the deleted conversation gone from the inbox');
      expect(store.error).toBe('');
    } finally {
      store.stop();
      visitor.close();
    }
  });

  it('signs the agent out at once when an admin disables the account', async () => {
    const admin = await signedIn();
    const { user } = await admin.api.createUser({ email: 'cy@parley.test', name: 'Cy', password: 'cy-password-1', role: 'agent' });
    const cy = new SessionStore({ baseUrl: server.url, storage: new MemoryStorage() });
    expect(await cy.login('cy@parley.test', 'cy-password-1')).toBe(true);
    const store = inbox(cy);
    try {
      await until(() => store.connection === 'open', 'agent socket open');
      await admin.api.updateUser(user.id, { disabled: true });
      await until(() => cy.status === 'signed-out', 'signed out');
      expect(cy.error).toMatch(/sign in again/i);
      expect(store.connection).toBe('closed');
    } finally {
      store.stop();
    }
  });

  it('knows a conversation that does not exist from one it is still loading', async () => {
    const session = await signedIn();
    const store = new InboxStore(session, { socketUrl: `${server.wsUrl}/ws/nowhere`, WebSocket: Ws });
    await store.open('no-such-conversation');
    expect(store.missing.has('no-such-conversation')).toBe(true);
    expect(store.error).toBe('');
    store.stop();
  });

  it('pages back through older chats', async () => {
    const session = await signedIn();
    const created = new Set<string>();
    for (let i = 0; i < 105; i++) created.add((await session.api.createChat()).chat.id);
    const store = new InboxStore(session, { socketUrl: `${server.wsUrl}/ws/nowhere`, WebSocket: Ws });
    await store.loadChats('bot');
    expect(store.list('bot')).toHaveLength(100);
    expect(store.hasMore('bot')).toBe(true);
    while (store.hasMore('bot')) await store.loadChats('bot', true);
    const ids = new Set(store.list('bot').map((c) => c.id));
    expect([...created].filter((id) => !ids.has(id))).toEqual([]);
    store.stop();
  });

  it('sends replies over HTTP when the socket is down', async () => {
    const session = await signedIn();
    const store = new InboxStore(session, { socketUrl: `${server.wsUrl}/ws/nowhere`, WebSocket: Ws });
    const visitor = await RawVisitor.connect(server.wsUrl);
    const id = visitor.conversationId;
    try {
      await store.loadChats();
      await store.open(id);
      store.reply(id, 'Replying over REST');
      await visitor.message('Replying over REST', 'agent');
      await until(() => store.pendingIn(id).length === 0, 'pending cleared');
      // The reply the server stored takes the pending one's place in the conversation, once.
      const stored = (m: { role: string; components: unknown }) => m.role === 'agent' && JSON.stringify(m.components).includes('Replying over REST');
      await until(() => store.messages.get(id)!.some(stored), 'the reply in the conversation');
      expect(store.messages.get(id)!.filter(stored)).toHaveLength(1);
      expect(store.error).toBe('');
    } finally {
      store.stop();
      visitor.close();
    }
  });
});
