import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { onCleanup, rawSql, startTestServer } from '../helper.js';
import { OWNER, SECRET, addAgent, call, login } from '../agent-helper.js';
import { createTestDatabase, requirePostgres } from '../db/postgres-helper.js';
import type { LiveConversation } from '../../src/conversations/conversations.js';

/*
 * Two app instances in one process on one PostgreSQL database: two nodes behind a load balancer,
 * each with its own memory (conversation cache, client ids), writing the same conversations.
 */

const hasPostgres = await requirePostgres();

async function twoNodes() {
  const database = await createTestDatabase('cross_node');
  onCleanup(() => database.drop());
  // No Redis: these tests are about what the database decides, not about fan-out.
  const options = { databaseUrl: database.url, redisUrl: undefined, adminEmail: OWNER.email, adminPassword: OWNER.password, secret: SECRET };
  const a = await startTestServer(options);
  const b = await startTestServer(options);
  return { a, b };
}

async function messagesOf(app: FastifyInstance, conversationId: string) {
  return rawSql<{ seq: number; role: string; client_id: string | null; text: string }>(
    app,
    'SELECT seq, role, client_id, text FROM messages WHERE conversation_id = $1 ORDER BY seq',
    conversationId,
  );
}

/** A conversation started on `app` whose visitor asked for a person. */
async function waitingConversation(app: FastifyInstance): Promise<LiveConversation> {
  const { conversation } = await app.chat.start(app.companies.defaultCompany());
  await app.chat.handleInput(conversation, { kind: 'handoff' });
  return (await app.conversations.get(conversation.id))!;
}

describe.skipIf(!hasPostgres)('two nodes writing one conversation (PostgreSQL)', () => {
  it('gives exactly one winner when two agents on two nodes claim the same conversation, 200 times', async () => {
    const { a, b } = await twoNodes();
    const admin = await login(a.http, OWNER.email, OWNER.password);
    // Two plain agents (an admin may take a conversation from a colleague).
    const first = await addAgent(a.app, a.http, admin.user.company_id, 'Ada');
    const other = await addAgent(a.app, a.http, admin.user.company_id, 'Bea');
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) ids.push((await waitingConversation(a.app)).id);
    // Node B has read each conversation before the claims (a stale copy waits in its memory).
    for (const id of ids) expect((await b.app.conversations.get(id))?.status).toBe('waiting');

    // In waves of 10 conversations: a node's batch locks all its rows at once, so a single wave of
    // 200 is often won whole by whichever node locks first; twenty waves give both nodes a chance.
    const claims: Array<{ id: string; statuses: number[] }> = [];
    for (let wave = 0; wave < ids.length; wave += 10) {
      claims.push(
        ...(await Promise.all(
          ids.slice(wave, wave + 10).map(async (id) => {
            const [onA, onB] = await Promise.all([
              call(a.http, 'POST', `/api/chats/${id}/claim`, { token: first.token, body: {} }),
              call(b.http, 'POST', `/api/chats/${id}/claim`, { token: other.token, body: {} }),
            ]);
            return { id, statuses: [onA.status, onB.status].sort() };
          }),
        )),
      );
    }
    for (const { statuses } of claims) expect(statuses).toEqual([200, 409]);

    const rows = await rawSql<{ id: string; status: string; assignee_id: string; joined: number }>(
      a.app,
      `SELECT c.id, c.status, c.assignee_id,
              (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id AND m.text LIKE '% joined the conversation.')::int AS joined
       FROM conversations c WHERE c.id = ANY($1)`,
      ids,
    );
    expect(rows).toHaveLength(200);
    for (const row of rows) {
      expect(row.status).toBe('agent');
      expect([first.user.id, other.user.id]).toContain(row.assignee_id);
      expect(row.joined).toBe(1);
    }
    // Both agents won some: the race was real on both sides.
    const winners = new Set(rows.map((r) => r.assignee_id));
    expect(winners.size).toBe(2);
  });

  it('stores every message once with dense seqs when a visitor on one node and an agent on the other write at once', async () => {
    const { a, b } = await twoNodes();
    const owner = await login(b.http, OWNER.email, OWNER.password);
    const conversation = await waitingConversation(a.app);
    expect((await call(b.http, 'POST', `/api/chats/${conversation.id}/claim`, { token: owner.token, body: {} })).status).toBe(200);
    const before = (await messagesOf(a.app, conversation.id)).length;

    const visitor = (async () => {
      for (let i = 0; i < 60; i++) {
        const live = (await a.app.conversations.get(conversation.id))!;
        const result = await a.app.chat.handleInput(live, { kind: 'text', text: `visitor ${i}` }, { clientId: `v${i}` });
        expect(result.duplicate).toBeFalsy();
      }
    })();
    const agent = (async () => {
      for (let i = 0; i < 60; i++) {
        const res = await call(b.http, 'POST', `/api/chats/${conversation.id}/messages`, { token: owner.token, body: { text: `agent ${i}`, client_id: `g${i}` } });
        expect(res.status).toBe(201);
      }
    })();
    await Promise.all([visitor, agent]);

    const messages = await messagesOf(a.app, conversation.id);
    expect(messages).toHaveLength(before + 120);
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
    const clientIds = messages.flatMap((m) => (m.client_id ? [m.client_id] : []));
    expect(new Set(clientIds).size).toBe(clientIds.length);
    // Each side's messages are in the order it sent them.
    expect(messages.filter((m) => m.role === 'user' && m.text.startsWith('visitor ')).map((m) => m.text)).toEqual(Array.from({ length: 60 }, (_, i) => `visitor ${i}`));
    expect(messages.filter((m) => m.role === 'agent').map((m) => m.text)).toEqual(Array.from({ length: 60 }, (_, i) => `agent ${i}`));
    // Both nodes' memories end where the database is.
    const last = messages.at(-1)!.seq;
    expect((await a.app.conversations.get(conversation.id))!.lastSeq).toBeLessThanOrEqual(last);
  });

  it('answers a resend that reaches the other node with the stored message, and stores it once', async () => {
    const { a, b } = await twoNodes();
    const { conversation } = await a.app.chat.start(a.app.companies.defaultCompany());
    // B reads the conversation first: its memory never learns the client id A stores next.
    const onB = (await b.app.conversations.get(conversation.id))!;
    const first = await a.app.chat.handleInput(conversation, { kind: 'text', text: 'Where is my order?' }, { clientId: 'resend-1' });
    expect(first.duplicate).toBeFalsy();

    const again = await b.app.chat.handleInput(onB, { kind: 'text', text: 'Where is my order?' }, { clientId: 'resend-1' });
    expect(again.duplicate).toBe(true);
    expect(again.userSeq).toBe(first.userSeq);
    expect(again.replies.map((m) => m.seq)).toEqual(first.replies.map((m) => m.seq));

    const stored = (await messagesOf(a.app, conversation.id)).filter((m) => m.client_id === 'resend-1');
    expect(stored).toHaveLength(1);
  });

  it('lets a node with a stale copy take the turn the other node left (the state is compared, then read again)', async () => {
    const { a, b } = await twoNodes();
    const owner = await login(a.http, OWNER.email, OWNER.password);
    const conversation = await waitingConversation(a.app);
    const staleOnB = (await b.app.conversations.get(conversation.id))!;
    // On A, an agent claims and hands the conversation back to the bot: B still holds "waiting".
    expect((await call(a.http, 'POST', `/api/chats/${conversation.id}/claim`, { token: owner.token, body: {} })).status).toBe(200);
    expect((await call(a.http, 'POST', `/api/chats/${conversation.id}/return-to-bot`, { token: owner.token, body: {} })).status).toBe(200);
    expect(staleOnB.status).toBe('waiting');

    // The visitor's next message reaches B: the bot answers, as the database says it has the conversation.
    const turn = await b.app.chat.handleInput(staleOnB, { kind: 'text', text: 'hello again' }, { clientId: 'after-return' });
    expect(turn.replies.some((m) => m.role === 'bot')).toBe(true);
    const messages = await messagesOf(a.app, conversation.id);
    expect(messages.map((m) => m.seq)).toEqual(messages.map((_, i) => i + 1));
    expect((await b.app.conversations.get(conversation.id))!.status).toBe('bot');
  });
  it('opens one conversation when the same first REST message reaches both nodes at once, 20 times', async () => {
    const { a, b } = await twoNodes();
    for (let i = 0; i < 20; i++) {
      const body = { message: 'Hello', user_id: `u-${i}`, message_id: `first-${i}`, message_count: 0 };
      const [onA, onB] = await Promise.all([call(a.http, 'POST', '/api/chat-message', { body }), call(b.http, 'POST', '/api/chat-message', { body })]);
      expect([onA.status, onB.status]).toEqual([200, 200]);
      expect(onB.body).toEqual(onA.body);
    }
    const rows = await rawSql<{ visitor_id: string; n: number }>(a.app, 'SELECT visitor_id, count(*)::int AS n FROM conversations GROUP BY visitor_id');
    expect(rows).toHaveLength(20);
    expect(rows.every((row) => row.n === 1)).toBe(true);
    const firsts = await rawSql<{ n: number }>(a.app, "SELECT count(*)::int AS n FROM messages WHERE client_id LIKE 'first-%'");
    expect(firsts[0]!.n).toBe(20);
  });
  it('asks for a rating once: a resolution on the other node knows the visitor already rated', async () => {
    const { a, b } = await twoNodes();
    const owner = await login(a.http, OWNER.email, OWNER.password);
    expect((await call(a.http, 'PUT', '/api/csat/settings', { token: owner.token, body: { enabled: true, scale: 'five', ask_after: 'agent' } })).status).toBe(200);
    const start = await call(a.http, 'GET', '/api/chatbot');
    const session = start.body.chatbot_session as string;
    const askForPerson = async () => expect((await call(a.http, 'POST', '/api/chatbot', { body: { chatbot_session: session, message: 'I want to talk to a person' } })).status).toBe(200);
    const prompts = async () => {
      const messages = await call(a.http, 'GET', `/api/chatbot/messages?chatbot_session=${session}`);
      return { id: messages.body.conversation_id as string, count: (messages.body.messages as Array<{ components: Array<{ type: string }> }>).flatMap((m) => m.components).filter((c) => c.type === 'rating').length };
    };
    await askForPerson();
    const { id } = await prompts();
    expect((await call(a.http, 'POST', `/api/chats/${id}/resolve`, { token: owner.token, body: {} })).status).toBe(200);
    expect((await prompts()).count).toBe(1);
    expect((await call(a.http, 'POST', '/api/chatbot/rating', { body: { chatbot_session: session, score: 5 } })).status).toBe(200);

    await askForPerson();
    expect((await call(b.http, 'POST', `/api/chats/${id}/resolve`, { token: owner.token, body: {} })).status).toBe(200);
    expect((await prompts()).count).toBe(1);
  });
});
