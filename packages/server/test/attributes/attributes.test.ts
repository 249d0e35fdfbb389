import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { AiConfigView, ChatDetail, ErrorFrame, MessageFrame } from '@parley/protocol';
import { parseFlow } from '../../src/flows/load.js';
import { migrationProvider } from '../../src/db/migrations/index.js';
import { onCleanup, tempDataDir, texts, TestSocket } from '../helper.js';
import { addAgent, addCompany, call, is, login, openAgent, openVisitor, OWNER, startAgentServer } from '../agent-helper.js';
import { startFakeOpenAI } from '../support/fake-openai.js';

const PLANS = parseFlow({
  id: 'plans',
  name: 'Plans',
  version: 1,
  start: 'ask',
  steps: {
    ask: { type: 'input', kind: 'text', text: 'Your name?', var: 'name', next: 'pick' },
    pick: {
      type: 'branch',
      cases: [{ when: { var: 'attributes.plan', equals: 'pro' }, next: 'pro' }],
      else: 'free',
    },
    pro: { type: 'end', text: 'Thanks {{name}}, your {{attributes.plan}} cart of {{attributes.cart_total}} EUR ships first.' },
    free: { type: 'end', text: 'Thanks {{name}}.' },
  },
});

const botText = (frame: MessageFrame) => texts(frame.message.components).join(' ');

describe('page attributes (Parley.setAttributes)', () => {
  it('are stored on the conversation, read by the flow, shown to agents and kept within their caps', async () => {
    const { app, http, ws } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    await app.flows.activate(app.companies.defaultCompany().id, PLANS);

    // Set in hello (before the connection opened), then changed on the open connection.
    const socket = await TestSocket.open(ws);
    socket.send({ type: 'hello', attributes: { plan: 'free', cart_total: 42 } });
    const welcome = await socket.nextOf<{ type: 'welcome'; conversation_id: string; session: string }>('welcome');
    await socket.next(is.messageWithRole('bot'));
    socket.send({ type: 'attributes', attributes: { plan: 'pro', coupon: 'SPRING' } });
    socket.send({ type: 'attributes', attributes: { coupon: null } });
    socket.send({ type: 'message', id: 'a1', text: 'Ada' });
    const reply = await socket.next<MessageFrame>((f) => is.messageWithRole('bot')(f) && botText(f as MessageFrame).startsWith('Thanks'));
    expect(botText(reply)).toBe('Thanks Ada, your pro cart of 42 EUR ships first.');

    const id = welcome.conversation_id;
    const row = await app.db.selectFrom('conversations').select(['attributes', 'flow_state']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(JSON.parse(row.attributes!)).toEqual({ plan: 'pro', cart_total: 42 });
    expect(JSON.parse(row.flow_state).vars).toEqual({ name: 'Ada' });

    // Agents see them in the conversation's details; another company does not.
    const detail = await call<ChatDetail>(http, 'GET', `/api/chats/${id}`, { token: owner.token });
    expect(detail.status).toBe(200);
    expect(detail.body.attributes).toEqual({ plan: 'pro', cart_total: 42 });
    const other = await addCompany(app, http, 'Bravo');
    expect((await call(http, 'GET', `/api/chats/${id}`, { token: other.token })).status).toBe(404);
    expect(await app.attributesStore.load(other.company.id, id)).toEqual({});
    expect(await app.attributesStore.save(other.company.id, id, { plan: 'stolen' })).toBe(false);

    // Bad keys, nested values and oversize values are refused by the schema; too many keys by the cap.
    const resumed = await openVisitor(ws, undefined, welcome.session);
    resumed.socket.send({ type: 'attributes', attributes: { 'bad key': 1 } });
    expect((await resumed.socket.nextOf<ErrorFrame>('error')).code).toBe('validation_failed');
    resumed.socket.send({ type: 'attributes', attributes: { cart: { total: 1 } } });
    expect((await resumed.socket.nextOf<ErrorFrame>('error')).code).toBe('validation_failed');
    resumed.socket.send({ type: 'attributes', attributes: { note: 'x'.repeat(501) } });
    expect((await resumed.socket.nextOf<ErrorFrame>('error')).code).toBe('validation_failed');
    resumed.socket.send({ type: 'attributes', attributes: Object.fromEntries(Array.from({ length: 29 }, (_, i) => [`k${i}`, i])) });
    const tooMany = await resumed.socket.nextOf<ErrorFrame>('error');
    expect(tooMany).toMatchObject({ code: 'validation_failed', message: 'At most 30 attributes' });
    expect((await app.conversations.get(id))!.attributes).toEqual({ plan: 'pro', cart_total: 42 });
  });

  it('reach the AI as context', async () => {
    const fake = await startFakeOpenAI(() => ({ chunks: ['Pro includes priority shipping.'] }));
    onCleanup(fake.close);
    const { http, ws } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const saved = await call<AiConfigView>(http, 'PUT', '/api/ai/config', {
      token: owner.token,
      body: { enabled: true, base_url: fake.baseUrl, api_key: 'sk-secret-123', model: 'test-model', timeout_ms: 1500 },
    });
    expect(saved.status).toBe(200);
    const { socket } = await openVisitor(ws);
    await socket.next(is.messageWithRole('bot'));
    socket.send({ type: 'attributes', attributes: { plan: 'pro', cart_total: 42 } });
    socket.send({ type: 'message', id: 'q1', text: 'What does my plan include?' });
    await socket.next((f) => is.messageWithRole('bot')(f) && botText(f as MessageFrame).includes('priority shipping'));
    const system = fake.received[0]!.body.messages[0]!.content!;
    expect(system).toContain('plan=pro');
    expect(system).toContain('cart_total=42');
  });
});

describe('the 2026_12_04_0501 migration', () => {
  it('adds the attributes column to conversations, and goes back down', async () => {
    const sqlite = new SQLite(join(tempDataDir(), 'old.sqlite'));
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
    onCleanup(() => db.destroy());
    const migrator = new Migrator({ db, provider: migrationProvider });
    const columns = () => (sqlite.prepare("SELECT name FROM pragma_table_info('conversations')").all() as Array<{ name: string }>).map((c) => c.name);
    expect((await migrator.migrateTo('2026_12_04_0501_conversation_attributes')).error).toBeUndefined();
    expect(columns()).toContain('attributes');
    expect((await migrator.migrateTo('2026_11_27_0004_conversation_notes')).error).toBeUndefined();
    expect(columns()).not.toContain('attributes');
  });
});

describe('agent availability in the widget', () => {
  it('tells visitors whether an agent of their company is connected, as agents come and go', async () => {
    const { app, http, ws, agentWs } = await startAgentServer();
    const companyId = app.companies.defaultCompany().id;
    const visitor = await openVisitor(ws);
    expect(await visitor.socket.nextOf('availability')).toEqual({ type: 'availability', online: false });

    const dana = await addAgent(app, http, companyId, 'Dana');
    const first = await openAgent(agentWs, dana.token);
    expect(await visitor.socket.nextOf('availability')).toEqual({ type: 'availability', online: true });
    // A second tab, and an agent of another company, change nothing.
    const second = await openAgent(agentWs, dana.token);
    const other = await addCompany(app, http, 'Bravo');
    const bravo = await openAgent(agentWs, other.token);
    const late = await openVisitor(ws);
    expect(await late.socket.nextOf('availability')).toEqual({ type: 'availability', online: true });
    first.socket.close();
    second.socket.close();
    expect(await visitor.socket.nextOf('availability')).toEqual({ type: 'availability', online: false });
    bravo.socket.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(visitor.socket.frames.filter((f) => f.type === 'availability').map((f) => (f as { online: boolean }).online)).toEqual([false, true, false]);
  });
});
