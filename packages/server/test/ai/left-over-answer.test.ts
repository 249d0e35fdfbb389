import { describe, expect, it } from 'vitest';
import type { AckFrame, MessageFrame, WelcomeFrame } from '@parley/protocol';
import { onCleanup, rawSql, startTestServer, TestSocket, texts } from '../helper.js';
import { OWNER, SECRET, call, is, login } from '../agent-helper.js';
import { createTestDatabase, requirePostgres } from '../db/postgres-helper.js';
import { startFakeOpenAI } from '../support/fake-openai.js';
import { startNodeProcess } from '../support/node-process.js';
import { until } from '../support/until.js';

/*
 * A node takes a visitor's question, stores and acknowledges it, asks the model, and is killed
 * (SIGKILL) before the answer comes. The visitor reconnects through another node: that node
 * answers the question, once.
 */

const hasPostgres = await requirePostgres();
const QUESTION = 'What are your opening hours?';

describe.skipIf(!hasPostgres)('an AI answer in flight on a node that dies (PostgreSQL)', () => {
  it('is given by the node the visitor reconnects to, once', async () => {
    const database = await createTestDatabase('left_over');
    onCleanup(() => database.drop());
    let asked = 0;
    const fake = await startFakeOpenAI(() => (++asked === 1 ? { delayMs: 60_000, chunks: ['never sent'] } : { chunks: ['We are open ', '9 to 5.'] }));
    onCleanup(fake.close);
    const options = { databaseUrl: database.url, secret: SECRET, adminEmail: OWNER.email, adminPassword: OWNER.password };
    const survivor = await startTestServer({ ...options, redisUrl: undefined });
    const owner = await login(survivor.http, OWNER.email, OWNER.password);
    const ai = { enabled: true, base_url: fake.baseUrl, api_key: 'sk-test', model: 'm', timeout_ms: 2_000 };
    expect((await call(survivor.http, 'PUT', '/api/ai/config', { token: owner.token, body: ai })).status).toBe(200);
    const doomed = await startNodeProcess(options);

    const first = await TestSocket.open(`${doomed.http.replace('http', 'ws')}/ws`);
    first.send({ type: 'hello' });
    const welcome = await first.nextOf<WelcomeFrame>('welcome');
    await first.next(is.messageWithRole('bot'));
    first.send({ type: 'message', id: 'q1', text: QUESTION });
    const ack = await first.nextOf<AckFrame>('ack');
    await until(() => asked === 1, 'the model was asked');
    await doomed.kill();

    // Still unanswered; a node only takes it over once the provider's timeout and a margin have passed.
    const id = welcome.conversation_id;
    const early = await TestSocket.open(`${survivor.ws}`);
    early.send({ type: 'hello', session: welcome.session, last_seq: ack.seq });
    await early.nextOf('welcome');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(asked).toBe(1);
    early.socket.close();
    await rawSql(survivor.app, "UPDATE messages SET created_at = '2026-01-01T00:00:00.000Z' WHERE conversation_id = $1 AND seq = $2", id, ack.seq);

    const back = await TestSocket.open(survivor.ws);
    back.send({ type: 'hello', session: welcome.session, last_seq: ack.seq });
    await back.nextOf('welcome');
    const answer = await back.next<MessageFrame>(is.messageWithRole('bot'));
    expect(answer.message.seq).toBe(ack.seq + 1);
    expect(texts(answer.message.components).join(' ')).toContain('We are open 9 to 5.');

    // Another reconnection finds it answered: nothing more is asked or stored.
    const again = await TestSocket.open(survivor.ws);
    again.send({ type: 'hello', session: welcome.session, last_seq: answer.message.seq });
    await again.nextOf('welcome');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(asked).toBe(2);
    // The answer, then the flow's question again (as any AI turn ends), stored once.
    const after = await rawSql<{ role: string; components: string }>(survivor.app, 'SELECT role, components FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq', id, ack.seq);
    expect(after.map((m) => m.role)).toEqual(['bot', 'bot']);
    expect(after.filter((m) => m.components.includes('We are open'))).toHaveLength(1);
  });
});
