import { describe, expect, it } from 'vitest';
import { onCleanup, startTestServer } from '../helper.js';
import { OWNER, SECRET, call, login, openAgent, openVisitor } from '../agent-helper.js';
import { createTestDatabase, requirePostgres } from '../db/postgres-helper.js';

/*
 * Two nodes on one PostgreSQL database with no bus between them: every event node B publishes is
 * lost to node A, as when B committed and died before publishing, or Redis dropped it. A's visitor
 * sockets must still show every message, once and in seq order, from the database.
 */

const hasPostgres = await requirePostgres();

async function twoNodesWithoutBus() {
  const database = await createTestDatabase('lost_events');
  onCleanup(() => database.drop());
  const options = { databaseUrl: database.url, redisUrl: undefined, adminEmail: OWNER.email, adminPassword: OWNER.password, secret: SECRET };
  return { a: await startTestServer(options), b: await startTestServer(options) };
}

type MessageFrame = { type: 'message'; message: { seq: number; role: string; components: Array<{ payload: { text?: string } }> } };
const textOf = (frame: MessageFrame) => frame.message.components.map((c) => c.payload.text ?? '').join(' ');

describe.skipIf(!hasPostgres)('visitor and agent sockets across nodes (PostgreSQL)', () => {
  it('fills a gap in seqs from the database before the event that showed it, and reconciles what no event announced', async () => {
    const { a, b } = await twoNodesWithoutBus();
    const owner = await login(b.http, OWNER.email, OWNER.password);
    const visitor = await openVisitor(a.ws);
    const id = visitor.welcome.conversation_id;
    await visitor.socket.next((f) => f.type === 'message');

    // On B, an agent takes the conversation and writes: A hears nothing of it.
    expect((await call(b.http, 'POST', `/api/chats/${id}/claim`, { token: owner.token, body: {} })).status).toBe(200);
    expect((await call(b.http, 'POST', `/api/chats/${id}/messages`, { token: owner.token, body: { text: 'Hello from node B' } })).status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(visitor.socket.frames.some((f) => f.type === 'message' && textOf(f as MessageFrame).includes('Hello from node B'))).toBe(false);

    // The visitor writes on A: its message's seq is past what the socket sent, so the gap comes first.
    visitor.socket.send({ type: 'message', id: 'after-gap', text: 'Are you there?' });
    const ack = await visitor.socket.next((f) => f.type === 'ack');
    const before = visitor.socket.frames.slice(0, visitor.socket.frames.indexOf(ack));
    const agentMessage = before.find((f) => f.type === 'message' && textOf(f as MessageFrame).includes('Hello from node B')) as MessageFrame | undefined;
    expect(agentMessage).toBeDefined();
    expect(agentMessage!.message.seq).toBeLessThan((ack as unknown as { seq: number }).seq);

    // B writes again and nothing follows on A: the reconciliation finds the socket behind.
    expect((await call(b.http, 'POST', `/api/chats/${id}/messages`, { token: owner.token, body: { text: 'Still here, from B' } })).status).toBe(201);
    expect(await a.app.reconcileVisitorSockets()).toBe(1);
    await visitor.socket.next((f) => f.type === 'message' && textOf(f as MessageFrame).includes('Still here, from B'));
    expect(await a.app.reconcileVisitorSockets()).toBe(0);

    // Every message frame once, in strictly increasing seq order.
    const seqs = visitor.socket.frames.filter((f) => f.type === 'message').map((f) => (f as MessageFrame).message.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it("fills an agent dashboard's gap from the database, and reconciles what no event announced", async () => {
    const { a, b } = await twoNodesWithoutBus();
    const owner = await login(a.http, OWNER.email, OWNER.password);
    const dashboard = await openAgent(a.ws.replace(/\/ws$/, '/ws/agent'), owner.token);
    const { conversation } = await a.app.chat.start(a.app.companies.defaultCompany());
    await a.app.chat.handleInput(conversation, { kind: 'handoff' });
    expect((await call(a.http, 'POST', `/api/chats/${conversation.id}/claim`, { token: owner.token, body: {} })).status).toBe(200);
    await dashboard.socket.next((f) => f.type === 'message' && textOf(f as unknown as MessageFrame).includes('joined the conversation'));

    // The visitor writes through B: A's dashboard hears nothing of it.
    const onB = (await b.app.conversations.get(conversation.id))!;
    await b.app.chat.handleInput(onB, { kind: 'text', text: 'Written on node B' }, { clientId: 'b-1' });

    // The agent replies on A: the visitor's message comes first, from the database.
    expect((await call(a.http, 'POST', `/api/chats/${conversation.id}/messages`, { token: owner.token, body: { text: 'Reply on A' } })).status).toBe(201);
    const reply = await dashboard.socket.next((f) => f.type === 'message' && textOf(f as unknown as MessageFrame).includes('Reply on A'));
    const earlier = dashboard.socket.frames.slice(0, dashboard.socket.frames.indexOf(reply));
    expect(earlier.some((f) => f.type === 'message' && textOf(f as unknown as MessageFrame).includes('Written on node B'))).toBe(true);

    // B writes again and nothing follows on A: the reconciliation finds the conversation behind.
    const again = (await b.app.conversations.get(conversation.id))!;
    await b.app.chat.handleInput(again, { kind: 'text', text: 'Once more from B' }, { clientId: 'b-2' });
    expect(await a.app.reconcileAgentSockets()).toBe(1);
    await dashboard.socket.next((f) => f.type === 'message' && textOf(f as unknown as MessageFrame).includes('Once more from B'));
    expect(await a.app.reconcileAgentSockets()).toBe(0);

    const seqs = dashboard.socket.frames
      .filter((f) => f.type === 'message' && (f as { conversation_id?: string }).conversation_id === conversation.id)
      .map((f) => (f as unknown as MessageFrame).message.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
  });
});
