import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { AckFrame, WebhookDeliveryView, WebhookEndpointResponse, WebhookEndpointView } from '@parley/protocol';
import { buildServer } from '../../src/server.js';
import { loadConfig } from '../../src/config.js';
import { isPrivateAddress } from '../../src/lib/net-guard.js';
import { nextSharedScan, retryDelayMs } from '../../src/webhooks/webhook-queue.js';
import { standardSignatureHeader, webhookSignature } from '../../src/webhooks/webhook-post.js';
import { onCleanup, rawSql, tempDataDir } from '../helper.js';
import { addAgent, call, is, login, openVisitor, OWNER, SECRET, startAgentServer } from '../agent-helper.js';
import { startReceiver, verifyStandardWebhook, type Received } from '../support/webhook-receiver.js';

const fast = { allowPrivate: true, retryBaseMs: 40, retryMaxMs: 200, timeoutMs: 2000 };
const ALL = ['lead.created', 'conversation.handoff', 'conversation.resolved', 'message.created'];

async function subscribe(http: string, token: string, url: string, events: string[] = ALL) {
  const made = await call<WebhookEndpointResponse>(http, 'POST', '/api/webhooks', { token, body: { url, events, description: 'CRM' } });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return { id: made.body.endpoint.id, secret: made.body.secret! };
}

async function deliveriesOf(http: string, token: string, endpointId: string): Promise<WebhookDeliveryView[]> {
  return (await call(http, 'GET', `/api/webhooks/${endpointId}/deliveries?limit=200`, { token })).body.deliveries;
}

async function until<T>(check: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('webhooks', () => {
  it('sends every subscribed event, signed and timestamped, in the documented body', async () => {
    const { app, http, ws } = await startAgentServer({ webhooks: fast });
    const owner = await login(http, OWNER.email, OWNER.password);
    const receiver = await startReceiver();
    const endpoint = await subscribe(http, owner.token, receiver.url);
    receiver.useSecret(endpoint.secret);
    expect(endpoint.secret).toMatch(/^whsec_/);
    const listed = await call(http, 'GET', '/api/webhooks', { token: owner.token });
    expect(JSON.stringify(listed.body)).not.toContain(endpoint.secret);
    expect(listed.body.endpoints).toEqual([expect.objectContaining({ id: endpoint.id, url: receiver.url, events: ALL, enabled: true, description: 'CRM' })]);

    // A visitor asks for a person, an agent resolves, and the site posts a lead.
    const visitor = await openVisitor(ws);
    const chat = visitor.welcome.conversation_id;
    visitor.socket.send({ type: 'message', id: 'h1', text: 'I need a human please' });
    await visitor.socket.next(is.type('state', { status: 'waiting' }));
    expect((await call(http, 'POST', `/api/chats/${chat}/resolve`, { token: owner.token, body: {} })).status).toBe(200);
    const site = app.companies.defaultCompany().siteKey;
    expect((await call(http, 'POST', `/api/send-lead?site=${site}`, { body: { email: 'ann@shop.test' } })).status).toBe(200);

    await receiver.waitFor(1, (r) => r.body.type === 'lead.created');
    const all = receiver.received;
    const types = all.map((r) => r.body.type);
    expect(types.indexOf('conversation.handoff')).toBeGreaterThan(types.indexOf('message.created'));
    expect(types.indexOf('conversation.resolved')).toBeGreaterThan(types.indexOf('conversation.handoff'));
    expect(new Set(types)).toEqual(new Set(ALL));
    for (const request of all) {
      expect(request.signatureOk, request.body.type).toBe(true);
      expect(request.standardOk, request.body.type).toBe(true);
      expect(request.headers['webhook-id']).toBe(request.body.id);
      expect(request.headers['webhook-timestamp']).toBe(request.headers['x-parley-timestamp']);
      expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
      expect(request.fresh).toBe(true);
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['x-parley-event']).toBe(request.body.type);
      expect(request.headers['x-parley-event-id']).toBe(request.body.id);
      expect(request.body).toEqual({ id: expect.stringMatching(/^evt_/), type: request.body.type, created_at: expect.any(String), company_id: app.companies.defaultCompany().id, data: expect.any(Object) });
    }
    const byType = (type: string) => all.find((r) => r.body.type === type)!.body.data as Record<string, any>;
    expect(byType('message.created')).toMatchObject({ conversation_id: chat, message: { role: 'bot', seq: 1 } });
    const messages = all.filter((r) => r.body.type === 'message.created').map((r) => (r.body.data as { message: { seq: number; role: string } }).message);
    expect(messages.slice(0, 3).map((m) => [m.seq, m.role])).toEqual([[1, 'bot'], [2, 'user'], [3, 'system']]);
    expect(byType('conversation.handoff')).toMatchObject({ reason: 'visitor', conversation: { id: chat, status: 'waiting', queue_position: 1 } });
    expect(byType('conversation.resolved')).toMatchObject({ conversation: { id: chat, status: 'resolved' }, resolved_by: { id: owner.user.id } });
    expect(byType('lead.created')).toMatchObject({ lead: { source: 'api', conversation_id: null, data: { email: 'ann@shop.test', timestamp: expect.any(String) } } });

    // A tampered body or another secret would not verify.
    const one = all[0]!;
    expect(receiver.received.length).toBe(new Set(receiver.received.map((r) => r.body.id)).size);
    const { verifyParleySignature } = await import('../support/webhook-receiver.js');
    expect(verifyParleySignature(one.raw.replace('"id"', '"ID"'), one.headers, endpoint.secret).ok).toBe(false);
    expect(verifyParleySignature(one.raw, one.headers, 'whsec_other').ok).toBe(false);
    expect(verifyStandardWebhook(one.raw.replace('"id"', '"ID"'), one.headers, endpoint.secret)).toBe(false);
    expect(verifyStandardWebhook(one.raw, { ...one.headers, 'webhook-id': 'evt_other' }, endpoint.secret)).toBe(false);
    expect(verifyStandardWebhook(one.raw, one.headers, `whsec_${Buffer.alloc(32, 7).toString('base64')}`)).toBe(false);

    // The log: one successful attempt each, with the status and duration.
    const log = await until(async () => {
      const list = await deliveriesOf(http, owner.token, endpoint.id);
      return list.length === all.length && list.every((d) => d.status === 'succeeded') && list;
    }, 'every delivery logged as succeeded');
    expect(log[0]).toMatchObject({ attempts: 1, last_status_code: 200, last_error: null });
    const detail = await call(http, 'GET', `/api/webhooks/${endpoint.id}/deliveries/${log[0]!.id}`, { token: owner.token });
    expect(detail.body.attempts).toEqual([expect.objectContaining({ attempt: 1, status_code: 200, error: null, response_body: 'ok', duration_ms: expect.any(Number) })]);
    expect(detail.body.payload.id).toBe(log[0]!.event_id);
  });

  it('retries a failing endpoint with growing delays, then logs every attempt', async () => {
    const { http, ws } = await startAgentServer({ webhooks: fast });
    const owner = await login(http, OWNER.email, OWNER.password);
    const receiver = await startReceiver((_r, i) => ({ status: i < 2 ? 500 : 200, body: i < 2 ? 'database is down' : 'ok' }));
    const endpoint = await subscribe(http, owner.token, receiver.url, ['message.created']);
    receiver.useSecret(endpoint.secret);

    const visitor = await openVisitor(ws);
    await receiver.waitFor(3);
    const [first, second, third] = receiver.received as [Received, Received, Received];
    expect(new Set([first.body.id, second.body.id, third.body.id]).size).toBe(1);
    expect(first.raw).toBe(third.raw);
    expect(third.signatureOk).toBe(true);
    expect(third.at - second.at).toBeGreaterThanOrEqual(second.at - first.at - 20);

    const [delivery] = await until(async () => {
      const list = await deliveriesOf(http, owner.token, endpoint.id);
      return list[list.length - 1]?.status === 'succeeded' && list.slice(-1);
    }, 'the retried delivery to succeed');
    expect(delivery).toMatchObject({ attempts: 3, last_status_code: 200 });
    const detail = await call(http, 'GET', `/api/webhooks/${endpoint.id}/deliveries/${delivery!.id}`, { token: owner.token });
    expect(detail.body.attempts.map((a: { status_code: number; error: string | null }) => [a.status_code, a.error])).toEqual([
      [500, 'Answered 500'],
      [500, 'Answered 500'],
      [200, null],
    ]);
    expect(detail.body.attempts[0].response_body).toBe('database is down');
    visitor.socket.close();
  });

  it('keeps each endpoint in order: the next event waits until the previous one succeeded or was given up', { timeout: 60_000 }, async () => {
    const { http, ws } = await startAgentServer({ webhooks: { ...fast, maxAttempts: 3 } });
    const owner = await login(http, OWNER.email, OWNER.password);
    let poisoned: string | undefined;
    // The greeting fails three times (given up); the next event fails twice, then goes through.
    const failures = new Map<string, number>();
    const receiver = await startReceiver((r) => {
      poisoned ??= r.body.id;
      const seen = (failures.get(r.body.id) ?? 0) + 1;
      failures.set(r.body.id, seen);
      if (r.body.id === poisoned) return { status: 503 };
      return { status: seen <= 2 && failures.size === 2 ? 500 : 200 };
    });
    const endpoint = await subscribe(http, owner.token, receiver.url, ['message.created']);
    receiver.useSecret(endpoint.secret);

    const visitor = await openVisitor(ws);
    for (const [id, value] of [['o1', 'no'], ['o2', 'Olive'], ['o3', 'olive@shop.test']] as const) {
      visitor.socket.send(id === 'o1' ? { type: 'action', id, value } : { type: 'message', id, text: value });
      await visitor.socket.next((f) => f.type === 'ack' && (f as AckFrame).id === id);
    }
    // greeting, then 3 x (visitor message + bot reply) = 7 events. The order is what is checked,
    // not the pace: on PostgreSQL the queue also looks every 5 s, so a wake-up it misses between
    // the six retries costs up to that much.
    await until(async () => (await deliveriesOf(http, owner.token, endpoint.id)).filter((d) => d.status !== 'pending').length === 7, 'every event settled', 30_000);

    const order: string[] = [];
    for (const r of receiver.received) if (order[order.length - 1] !== r.body.id) order.push(r.body.id);
    expect(new Set(order).size, 'no event is sent again after a later one').toBe(order.length);
    const seqs = receiver.received.map((r) => (r.body.data as { message: { seq: number } }).message.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(seqs.filter((s) => s === 1)).toHaveLength(3);
    const log = await deliveriesOf(http, owner.token, endpoint.id);
    expect(log[log.length - 1]).toMatchObject({ status: 'failed', attempts: 3, last_status_code: 503 });
    expect(log[log.length - 2]).toMatchObject({ status: 'succeeded', attempts: 3 });
    expect(log.slice(0, -2).every((d) => d.status === 'succeeded' && d.attempts === 1)).toBe(true);
  });

  it('never slows a chat: turns stay fast while the endpoint hangs', async () => {
    const { http, ws } = await startAgentServer({ webhooks: { ...fast, timeoutMs: 20_000 } });
    const owner = await login(http, OWNER.email, OWNER.password);
    const receiver = await startReceiver(() => ({ hang: true }));
    const endpoint = await subscribe(http, owner.token, receiver.url);
    receiver.useSecret(endpoint.secret);

    const visitor = await openVisitor(ws);
    await receiver.waitFor(1);
    const turns: number[] = [];
    for (let i = 0; i < 12; i++) {
      const started = performance.now();
      visitor.socket.send({ type: 'message', id: `s${i}`, text: `question ${i}` });
      await visitor.socket.next((f) => f.type === 'ack' && (f as AckFrame).id === `s${i}`);
      await visitor.socket.next(is.messageWithRole('bot'));
      turns.push(performance.now() - started);
    }
    const slowest = Math.max(...turns);
    expect(slowest, `turns took ${turns.map((t) => t.toFixed(1)).join(', ')} ms`).toBeLessThan(1000);
    // Still one request hanging, and the rest waiting behind it, in order.
    expect(receiver.received).toHaveLength(1);
    // The greeting and 12 turns of two messages: 25 events queued behind the hanging one.
    const pending = await until(async () => {
      const list = await deliveriesOf(http, owner.token, endpoint.id);
      return list.length === 25 && list;
    }, 'every event queued');
    expect(pending.every((d) => d.status === 'pending' && d.attempts === 0)).toBe(true);
  });

  it('stores an event in the same transaction as what it describes, so no crash can come between them', async () => {
    const server = await startAgentServer({ webhooks: fast });
    const owner = await login(server.http, OWNER.email, OWNER.password);
    const receiver = await startReceiver(() => ({ hang: true }));
    await subscribe(server.http, owner.token, receiver.url, ['message.created', 'lead.created']);
    const deliveries = { get: async () => ({ n: Number((await rawSql<{ n: number }>(server.app, 'SELECT count(*) AS n FROM webhook_deliveries'))[0]!.n) }) };
    const before = (await deliveries.get()).n;
    // What a request would wait for first: the endpoint may have been added through another node.
    await server.app.externalChanges.fresh();
    // The moment the write that stores the greeting has committed (the promise settles in the same
    // tick as the commit), its events are stored too: there is no later write to lose.
    const { messages } = await server.app.chat.start(server.app.companies.defaultCompany());
    expect((await deliveries.get()).n - before).toBe(messages.length);
    await server.app.leads.save({ companyId: server.app.companies.defaultCompany().id, conversationId: null, source: 'api', data: { email: 'a@b.test' } });
    expect((await deliveries.get()).n - before).toBe(messages.length + 1);
  });

  it('resumes pending deliveries after a restart, in order', async () => {
    const dataDir = tempDataDir();
    const options = { dataDir, webhooks: { ...fast, timeoutMs: 20_000 } };
    const first = await startAgentServer(options);
    const owner = await login(first.http, OWNER.email, OWNER.password);
    const receiver = await startReceiver(() => ({ hang: true }));
    const endpoint = await subscribe(first.http, owner.token, receiver.url, ['message.created']);
    receiver.useSecret(endpoint.secret);
    const visitor = await openVisitor(first.ws);
    visitor.socket.send({ type: 'action', id: 'r1', value: 'yes' });
    await visitor.socket.next(is.messageWithRole('bot'));
    await receiver.waitFor(1);
    await first.app.close();

    receiver.answer(() => ({ status: 200 }));
    const second = await buildServer({ dataDir, logLevel: 'silent', secret: SECRET, webhooks: fast });
    onCleanup(() => second.close());
    await receiver.waitFor(4);
    const ids = receiver.received.map((r) => r.body.id);
    expect(ids[1], 'the request cut off by the shutdown is sent again first').toBe(ids[0]);
    const seqs = receiver.received.slice(1).map((r) => (r.body.data as { message: { seq: number } }).message.seq);
    expect(seqs).toEqual([1, 2, 3]);
    expect(receiver.received.every((r) => r.signatureOk)).toBe(true);
  });

  it('never sends unsigned when the instance secret changed, and says so in the log', async () => {
    const dataDir = tempDataDir();
    const first = await startAgentServer({ dataDir, webhooks: fast });
    const owner = await login(first.http, OWNER.email, OWNER.password);
    const receiver = await startReceiver();
    const endpoint = await subscribe(first.http, owner.token, receiver.url, ['lead.created']);
    await first.app.close();

    const second = await startAgentServer({ dataDir, webhooks: fast, secret: 'another-secret-0123456789-abcdefghijkl' });
    const admin = await login(second.http, OWNER.email, OWNER.password);
    const test = await call(second.http, 'POST', `/api/webhooks/${endpoint.id}/test`, { token: admin.token, body: {} });
    expect(test.body.delivery).toMatchObject({ status: 'pending', attempts: 1, last_error: expect.stringContaining('signing secret cannot be read') });
    expect(receiver.received).toHaveLength(0);
    // A new secret fixes it.
    const rotated = await call(second.http, 'PATCH', `/api/webhooks/${endpoint.id}`, { token: admin.token, body: { rotate_secret: true } });
    receiver.useSecret(rotated.body.secret);
    await receiver.waitFor(1);
    expect(receiver.received[0]!.signatureOk).toBe(true);
  });

  it('sends a test event, redelivers with the same event id, rotates the secret, and forgets old deliveries', async () => {
    const { app, http } = await startAgentServer({ webhooks: fast });
    const owner = await login(http, OWNER.email, OWNER.password);
    const receiver = await startReceiver();
    const endpoint = await subscribe(http, owner.token, receiver.url, ['lead.created']);
    receiver.useSecret(endpoint.secret);

    const test = await call(http, 'POST', `/api/webhooks/${endpoint.id}/test`, { token: owner.token, body: {} });
    expect(test.status).toBe(200);
    expect(test.body.delivery).toMatchObject({ status: 'succeeded', attempts: 1, last_status_code: 200, event_type: 'webhook.test' });
    expect(receiver.received[0]!.body.type).toBe('webhook.test');
    expect(receiver.received[0]!.signatureOk).toBe(true);

    const again = await call(http, 'POST', `/api/webhooks/${endpoint.id}/deliveries/${test.body.delivery.id}/redeliver`, { token: owner.token, body: {} });
    expect(again.status).toBe(201);
    await receiver.waitFor(2);
    expect(receiver.received[1]!.body.id).toBe(receiver.received[0]!.body.id);

    const rotated = await call(http, 'PATCH', `/api/webhooks/${endpoint.id}`, { token: owner.token, body: { rotate_secret: true } });
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    await call(http, 'POST', `/api/webhooks/${endpoint.id}/test`, { token: owner.token, body: {} });
    expect(receiver.received[2]!.signatureOk, 'the old secret still signs during the grace period').toBe(true);
    expect(receiver.received[2]!.standardOk, 'in both formats').toBe(true);
    receiver.useSecret(rotated.body.secret);
    await call(http, 'POST', `/api/webhooks/${endpoint.id}/test`, { token: owner.token, body: {} });
    expect(receiver.received[3]!.signatureOk).toBe(true);
    expect(receiver.received[3]!.standardOk).toBe(true);

    // The log keeps finished deliveries for the retention period only.
    expect((await deliveriesOf(http, owner.token, endpoint.id)).length).toBe(4);
    await app.webhooks.prune(Date.now() + 29 * 86_400_000);
    expect((await deliveriesOf(http, owner.token, endpoint.id)).length).toBe(4);
    await app.webhooks.prune(Date.now() + 31 * 86_400_000);
    expect(await deliveriesOf(http, owner.token, endpoint.id)).toEqual([]);
    expect(await app.db.selectFrom('webhook_events').selectAll().execute()).toEqual([]);
    expect(await app.db.selectFrom('webhook_attempts').selectAll().execute()).toEqual([]);

    // Disabled: nothing is sent. Deleted: gone with its log.
    await call(http, 'PATCH', `/api/webhooks/${endpoint.id}`, { token: owner.token, body: { enabled: false } });
    const site = (await call(http, 'GET', '/api/company', { token: owner.token })).body.company.site_key;
    await call(http, 'POST', `/api/send-lead?site=${site}`, { body: { name: 'Nobody' } });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.received).toHaveLength(4);
    expect((await call(http, 'DELETE', `/api/webhooks/${endpoint.id}`, { token: owner.token })).status).toBe(204);
    expect((await call(http, 'GET', `/api/webhooks/${endpoint.id}/deliveries`, { token: owner.token })).status).toBe(404);
  });

  it('refuses private and loopback targets unless allowed, and is for admins only', async () => {
    const { app, http } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    for (const url of ['http://127.0.0.1:9/hook', 'http://localhost/hook', 'http://10.1.2.3/hook', 'http://[::1]/hook', 'http://169.254.169.254/latest', 'ftp://example.com/x']) {
      const answer = await call(http, 'POST', '/api/webhooks', { token: owner.token, body: { url, events: ['lead.created'] } });
      expect(answer.status, url).toBe(400);
    }
    expect((await call(http, 'POST', '/api/webhooks', { token: owner.token, body: { url: 'https://hooks.example.com/parley', events: ['lead.created'] } })).status).toBe(201);
    const agent = await addAgent(app, http, app.companies.defaultCompany().id, 'Ada');
    expect((await call(http, 'GET', '/api/webhooks', { token: agent.token })).status).toBe(403);
    expect((await call(http, 'GET', '/api/webhooks')).status).toBe(401);
  });
});

async function endpointView(http: string, token: string, endpointId: string): Promise<WebhookEndpointView> {
  return (await call<WebhookEndpointResponse>(http, 'GET', `/api/webhooks/${endpointId}`, { token })).body.endpoint;
}

/** Sends a test event and returns how its first attempt ended. */
async function testOutcome(http: string, token: string, endpointId: string): Promise<string> {
  return (await call(http, 'POST', `/api/webhooks/${endpointId}/test`, { token, body: {} })).body.delivery.status;
}

describe('endpoints that keep failing', () => {
  it('are disabled after three deliveries in a row were given up, keep what is pending, and send it in order once enabled', async () => {
    const { http, ws } = await startAgentServer({ webhooks: { ...fast, maxAttempts: 2, retryBaseMs: 20, retryMaxMs: 20 } });
    const owner = await login(http, OWNER.email, OWNER.password);
    // The receiver is down; its first answer is held until every event is queued behind it.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const receiver = await startReceiver((_r, i) => ({ status: 500, body: 'down', ...(i === 0 ? { after: held } : {}) }));
    const endpoint = await subscribe(http, owner.token, receiver.url, ['message.created']);
    receiver.useSecret(endpoint.secret);

    const visitor = await openVisitor(ws);
    for (const [id, value] of [['f1', 'no'], ['f2', 'Olive'], ['f3', 'olive@shop.test']] as const) {
      visitor.socket.send(id === 'f1' ? { type: 'action', id, value } : { type: 'message', id, text: value });
      await visitor.socket.next((f) => f.type === 'ack' && (f as AckFrame).id === id);
    }
    // greeting, then 3 x (visitor message + bot reply) = 7 events.
    await until(async () => (await deliveriesOf(http, owner.token, endpoint.id)).length === 7, 'seven events queued');
    release();

    const disabled = await until(async () => {
      const view = await endpointView(http, owner.token, endpoint.id);
      return !view.enabled && view;
    }, 'the endpoint disabled');
    expect(disabled).toMatchObject({ enabled: false, disabled_reason: 'failing', consecutive_failures: 3, pending: 4 });
    const log = await deliveriesOf(http, owner.token, endpoint.id);
    expect(log.map((d) => [d.status, d.attempts])).toEqual([...Array(4).fill(['pending', 0]), ...Array(3).fill(['failed', 2])]);
    expect(receiver.received).toHaveLength(6);

    // Disabled: nothing more is sent, and new events are not queued for it.
    visitor.socket.send({ type: 'message', id: 'f4', text: 'anyone there?' });
    await visitor.socket.next((f) => f.type === 'ack' && (f as AckFrame).id === 'f4');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await deliveriesOf(http, owner.token, endpoint.id)).toHaveLength(7);
    expect(receiver.received).toHaveLength(6);

    // The receiver is fixed and an admin enables the endpoint: what waited goes out, in order.
    receiver.answer(() => ({ status: 200 }));
    const enabled = await call<WebhookEndpointResponse>(http, 'PATCH', `/api/webhooks/${endpoint.id}`, { token: owner.token, body: { enabled: true } });
    expect(enabled.status).toBe(200);
    expect(enabled.body.endpoint).toMatchObject({ enabled: true, disabled_reason: null, consecutive_failures: 0 });
    await receiver.waitFor(10);
    const waited = log.slice(0, 4).reverse().map((d) => d.event_id);
    expect(receiver.received.slice(6).map((r) => r.body.id)).toEqual(waited);
    expect(receiver.received.slice(6).every((r) => r.signatureOk)).toBe(true);
    const seqs = receiver.received.slice(6).map((r) => (r.body.data as { message: { seq: number } }).message.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const after = await until(async () => {
      const view = await endpointView(http, owner.token, endpoint.id);
      return view.pending === 0 && view;
    }, 'nothing pending');
    expect(after).toMatchObject({ enabled: true, disabled_reason: null, consecutive_failures: 0, last_delivery: { status: 'succeeded' } });
    expect(receiver.received).toHaveLength(10);
    visitor.socket.close();
  });

  it('count only failures in a row: a success starts the count again, and the count survives a restart', async () => {
    const dataDir = tempDataDir();
    const options = { dataDir, webhooks: { ...fast, maxAttempts: 1 } };
    const first = await startAgentServer(options);
    const owner = await login(first.http, OWNER.email, OWNER.password);
    const answers = [500, 500, 200, 500, 500, 500];
    const receiver = await startReceiver((_r, i) => ({ status: answers[i] ?? 200 }));
    const endpoint = await subscribe(first.http, owner.token, receiver.url, ['lead.created']);

    expect([await testOutcome(first.http, owner.token, endpoint.id), await testOutcome(first.http, owner.token, endpoint.id)]).toEqual(['failed', 'failed']);
    expect(await endpointView(first.http, owner.token, endpoint.id)).toMatchObject({ enabled: true, consecutive_failures: 2 });
    expect(await testOutcome(first.http, owner.token, endpoint.id)).toBe('succeeded');
    expect(await endpointView(first.http, owner.token, endpoint.id)).toMatchObject({ enabled: true, consecutive_failures: 0 });
    expect([await testOutcome(first.http, owner.token, endpoint.id), await testOutcome(first.http, owner.token, endpoint.id)]).toEqual(['failed', 'failed']);
    await first.app.close();

    const second = await startAgentServer(options);
    const admin = await login(second.http, OWNER.email, OWNER.password);
    expect(await endpointView(second.http, admin.token, endpoint.id)).toMatchObject({ enabled: true, consecutive_failures: 2, disabled_reason: null });
    expect(await testOutcome(second.http, admin.token, endpoint.id)).toBe('failed');
    expect(await endpointView(second.http, admin.token, endpoint.id)).toMatchObject({ enabled: false, consecutive_failures: 3, disabled_reason: 'failing' });
    await second.app.close();

    const third = await startAgentServer(options);
    const again = await login(third.http, OWNER.email, OWNER.password);
    expect(await endpointView(third.http, again.token, endpoint.id)).toMatchObject({ enabled: false, consecutive_failures: 3, disabled_reason: 'failing' });
  });

  it('are never disabled with PARLEY_WEBHOOK_DISABLE_AFTER=0', async () => {
    const { http } = await startAgentServer({ webhooks: { ...fast, maxAttempts: 1, disableAfterFailures: 0 } });
    const owner = await login(http, OWNER.email, OWNER.password);
    const receiver = await startReceiver(() => ({ status: 500 }));
    const endpoint = await subscribe(http, owner.token, receiver.url, ['lead.created']);
    for (let i = 0; i < 5; i++) expect(await testOutcome(http, owner.token, endpoint.id)).toBe('failed');
    expect(await endpointView(http, owner.token, endpoint.id)).toMatchObject({ enabled: true, disabled_reason: null, consecutive_failures: 5 });
    expect(loadConfig({}, { PARLEY_WEBHOOK_DISABLE_AFTER: '0' }).webhooks.disableAfterFailures).toBe(0);
    expect(loadConfig({}, {}).webhooks.disableAfterFailures).toBe(3);
  });
});

/**
 * The `verifyParley` function of the Node snippet in docs/webhooks.md, as written there, with its
 * `SECRET`: the tests check signatures with the code receivers are told to copy.
 */
function documentedVerifier(secret: string): (rawBody: string, headers: Received['headers']) => boolean {
  const docs = readFileSync(fileURLToPath(new URL('../../../../docs/webhooks.md', import.meta.url)), 'utf8');
  const source = /^function verifyParley\(rawBody, headers\) \{\n[\s\S]*?\n\}$/m.exec(docs)?.[0];
  if (!source) throw new Error('docs/webhooks.md has no verifyParley function');
  return new Function('createHmac', 'timingSafeEqual', 'SECRET', 'TOLERANCE_S', `${source}\nreturn verifyParley;`)(createHmac, timingSafeEqual, secret, 300);
}

describe('signing secret rotation', () => {
  it('signs with the new and the previous secret during the grace period, then with the new one only', async () => {
    const { http } = await startAgentServer({ webhooks: { ...fast, secretGraceMs: 1500 } });
    const owner = await login(http, OWNER.email, OWNER.password);
    const receiver = await startReceiver();
    const endpoint = await subscribe(http, owner.token, receiver.url, ['lead.created']);
    const old = endpoint.secret;

    const rotated = await call<WebhookEndpointResponse>(http, 'PATCH', `/api/webhooks/${endpoint.id}`, { token: owner.token, body: { rotate_secret: true } });
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.secret!;
    expect(fresh).toMatch(/^whsec_/);
    expect(fresh).not.toBe(old);
    const expiresAt = rotated.body.endpoint.previous_secret_expires_at!;
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(1000);
    expect(Date.parse(expiresAt) - Date.now()).toBeLessThanOrEqual(1500);
    const listed = await call(http, 'GET', '/api/webhooks', { token: owner.token });
    const one = await call(http, 'GET', `/api/webhooks/${endpoint.id}`, { token: owner.token });
    for (const body of [rotated.body, listed.body, one.body]) expect(JSON.stringify(body)).not.toContain(old);
    expect(one.body.endpoint.previous_secret_expires_at).toBe(expiresAt);

    // During the grace period: the new signature, then the previous one; either secret verifies.
    expect(await testOutcome(http, owner.token, endpoint.id)).toBe('succeeded');
    const during = receiver.received[0]!;
    const timestamp = Number(during.headers['x-parley-timestamp']);
    expect(during.headers['x-parley-signature']).toBe(`v1=${webhookSignature(fresh, timestamp, during.raw)},v1=${webhookSignature(old, timestamp, during.raw)}`);
    expect(documentedVerifier(fresh)(during.raw, during.headers)).toBe(true);
    expect(documentedVerifier(old)(during.raw, during.headers)).toBe(true);
    expect(documentedVerifier('whsec_other')(during.raw, during.headers)).toBe(false);
    expect(documentedVerifier(old)(during.raw.replace('"id"', '"ID"'), during.headers)).toBe(false);
    // Standard Webhooks: two space-separated signatures; the specification's verifier takes either secret.
    expect(String(during.headers['webhook-signature']).split(' ')).toEqual([
      standardSignatureHeader([fresh], String(during.headers['webhook-id']), timestamp, during.raw),
      standardSignatureHeader([old], String(during.headers['webhook-id']), timestamp, during.raw),
    ]);
    expect(verifyStandardWebhook(during.raw, during.headers, fresh)).toBe(true);
    expect(verifyStandardWebhook(during.raw, during.headers, old)).toBe(true);

    // After it: the new secret only.
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 20));
    expect(await testOutcome(http, owner.token, endpoint.id)).toBe('succeeded');
    const after = receiver.received[1]!;
    expect(after.headers['x-parley-signature']).toBe(`v1=${webhookSignature(fresh, Number(after.headers['x-parley-timestamp']), after.raw)}`);
    expect(documentedVerifier(fresh)(after.raw, after.headers)).toBe(true);
    expect(documentedVerifier(old)(after.raw, after.headers)).toBe(false);
    expect(verifyStandardWebhook(after.raw, after.headers, fresh)).toBe(true);
    expect(verifyStandardWebhook(after.raw, after.headers, old)).toBe(false);
    expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect((await endpointView(http, owner.token, endpoint.id)).previous_secret_expires_at).toBeNull();
  });

  it('keeps the previous secret sealed across a restart, and stops it at once when asked', async () => {
    const dataDir = tempDataDir();
    const options = { dataDir, webhooks: fast };
    const first = await startAgentServer(options);
    const owner = await login(first.http, OWNER.email, OWNER.password);
    const receiver = await startReceiver();
    const endpoint = await subscribe(first.http, owner.token, receiver.url, ['lead.created']);
    const rotated = await call<WebhookEndpointResponse>(first.http, 'PATCH', `/api/webhooks/${endpoint.id}`, { token: owner.token, body: { rotate_secret: true } });
    const fresh = rotated.body.secret!;
    // The default grace period: 24 hours.
    expect(Date.parse(rotated.body.endpoint.previous_secret_expires_at!) - Date.now()).toBeGreaterThan(24 * 3_600_000 - 60_000);
    const stored = await first.app.db.selectFrom('webhook_endpoints').select(['secret_sealed', 'previous_secret_sealed']).executeTakeFirstOrThrow();
    expect(stored.previous_secret_sealed).toMatch(/^v1\./);
    expect(JSON.stringify(stored)).not.toContain(endpoint.secret);
    expect(JSON.stringify(stored)).not.toContain(fresh);
    await first.app.close();

    const second = await startAgentServer(options);
    const admin = await login(second.http, OWNER.email, OWNER.password);
    expect((await endpointView(second.http, admin.token, endpoint.id)).previous_secret_expires_at).toBe(rotated.body.endpoint.previous_secret_expires_at);
    await testOutcome(second.http, admin.token, endpoint.id);
    expect(documentedVerifier(endpoint.secret)(receiver.received[0]!.raw, receiver.received[0]!.headers)).toBe(true);
    expect(documentedVerifier(fresh)(receiver.received[0]!.raw, receiver.received[0]!.headers)).toBe(true);

    // Every receiver has the new secret: stop the previous one now.
    const expired = await call<WebhookEndpointResponse>(second.http, 'PATCH', `/api/webhooks/${endpoint.id}`, { token: admin.token, body: { expire_previous_secret: true } });
    expect(expired.status).toBe(200);
    expect(expired.body.secret).toBeUndefined();
    expect(expired.body.endpoint.previous_secret_expires_at).toBeNull();
    await testOutcome(second.http, admin.token, endpoint.id);
    expect(receiver.received[1]!.headers['x-parley-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(documentedVerifier(fresh)(receiver.received[1]!.raw, receiver.received[1]!.headers)).toBe(true);
    expect(documentedVerifier(endpoint.secret)(receiver.received[1]!.raw, receiver.received[1]!.headers)).toBe(false);

    // A leaked secret: rotate and stop it at once.
    const leaked = await call<WebhookEndpointResponse>(second.http, 'PATCH', `/api/webhooks/${endpoint.id}`, {
      token: admin.token,
      body: { rotate_secret: true, expire_previous_secret: true },
    });
    expect(leaked.body.endpoint.previous_secret_expires_at).toBeNull();
    await testOutcome(second.http, admin.token, endpoint.id);
    expect(documentedVerifier(leaked.body.secret!)(receiver.received[2]!.raw, receiver.received[2]!.headers)).toBe(true);
    expect(documentedVerifier(fresh)(receiver.received[2]!.raw, receiver.received[2]!.headers)).toBe(false);
    expect(await second.app.db.selectFrom('webhook_endpoints').select(['previous_secret_sealed', 'previous_secret_expires_at']).executeTakeFirstOrThrow()).toEqual({
      previous_secret_sealed: null,
      previous_secret_expires_at: null,
    });
  });

  it('stops the old secret at once with PARLEY_WEBHOOK_SECRET_GRACE_HOURS=0, and forgets expired ones when pruning', async () => {
    expect(loadConfig({}, { PARLEY_WEBHOOK_SECRET_GRACE_HOURS: '0' }).webhooks.secretGraceMs).toBe(0);
    expect(loadConfig({}, { PARLEY_WEBHOOK_SECRET_GRACE_HOURS: '2' }).webhooks.secretGraceMs).toBe(2 * 3_600_000);
    expect(loadConfig({}, {}).webhooks.secretGraceMs).toBe(24 * 3_600_000);

    const { http } = await startAgentServer({ webhooks: { ...fast, secretGraceMs: 0 } });
    const owner = await login(http, OWNER.email, OWNER.password);
    const receiver = await startReceiver();
    const endpoint = await subscribe(http, owner.token, receiver.url, ['lead.created']);
    const rotated = await call<WebhookEndpointResponse>(http, 'PATCH', `/api/webhooks/${endpoint.id}`, { token: owner.token, body: { rotate_secret: true } });
    expect(rotated.body.endpoint.previous_secret_expires_at).toBeNull();
    await testOutcome(http, owner.token, endpoint.id);
    expect(documentedVerifier(rotated.body.secret!)(receiver.received[0]!.raw, receiver.received[0]!.headers)).toBe(true);
    expect(documentedVerifier(endpoint.secret)(receiver.received[0]!.raw, receiver.received[0]!.headers)).toBe(false);

    // With a grace period, the sealed previous secret is removed by the first pruning after it.
    const graceful = await startAgentServer({ webhooks: fast });
    const admin = await login(graceful.http, OWNER.email, OWNER.password);
    const other = await subscribe(graceful.http, admin.token, receiver.url, ['lead.created']);
    await call(graceful.http, 'PATCH', `/api/webhooks/${other.id}`, { token: admin.token, body: { rotate_secret: true } });
    await graceful.app.webhooks.prune(Date.now() + 23 * 3_600_000);
    expect((await endpointView(graceful.http, admin.token, other.id)).previous_secret_expires_at).not.toBeNull();
    await graceful.app.webhooks.prune(Date.now() + 25 * 3_600_000);
    expect(await graceful.app.db.selectFrom('webhook_endpoints').select('previous_secret_sealed').executeTakeFirstOrThrow()).toEqual({ previous_secret_sealed: null });
  });
});

describe('webhook helpers', () => {
  it('tells private addresses from public ones', () => {
    for (const ip of ['127.0.0.1', '10.0.0.8', '172.20.1.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1']) {
      expect(isPrivateAddress(ip), ip).toBe(true);
    }
    for (const ip of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8', '::ffff:808:808']) expect(isPrivateAddress(ip), ip).toBe(false);
  });

  it('signs a secret made before the switch (URL-safe base64) so the converted secret verifies', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => 250 - i));
    const urlSafe = `whsec_${bytes.toString('base64url')}`;
    expect(urlSafe).toMatch(/[-_]/);
    const converted = `whsec_${bytes.toString('base64')}`;
    const body = '{"id":"evt_1"}';
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': standardSignatureHeader([urlSafe], 'evt_1', timestamp, body) };
    expect(verifyStandardWebhook(body, headers, converted)).toBe(true);
    expect(verifyStandardWebhook(body, { ...headers, 'webhook-timestamp': String(timestamp - 600) }, converted), 'too old').toBe(false);
  });

  it('backs off exponentially up to a cap, with jitter', () => {
    const config = { retryBaseMs: 10_000, retryMaxMs: 3_600_000 };
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n, config, () => 0.5))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(retryDelayMs(30, config, () => 0.5)).toBe(3_600_000);
    expect(retryDelayMs(1, config, () => 0)).toBe(8000);
    expect(retryDelayMs(1, config, () => 0.999999)).toBeLessThanOrEqual(12_000);
  });

  it('on PostgreSQL, looks again when the next head falls due, and at once for one that fell due during the scan', () => {
    const now = Date.parse('2026-12-05T10:00:00.000Z');
    const at = (ms: number) => new Date(now + ms).toISOString();
    const head = (endpoint_id: string, next: number | null, lease_left_ms = 0) => ({ endpoint_id, next_attempt_at: next === null ? null : at(next), lease_left_ms });
    // Nothing waiting: the poll.
    expect(nextSharedScan([], new Set(), now, true)).toBe(now + 5000);
    // A retry due in 300 ms, another node's lease running 800 ms more on a head due already.
    expect(nextSharedScan([head('a', 300), head('b', -50, 800)], new Set(), now, true)).toBe(now + 300);
    expect(nextSharedScan([head('b', -50, 800)], new Set(), now, true)).toBe(now + 800);
    // The claim saw the retry not due yet; it is now: look again at once rather than after the poll.
    expect(nextSharedScan([head('a', -15)], new Set(), now, true)).toBe(now + 5);
    expect(nextSharedScan([head('a', null)], new Set(), now, true)).toBe(now + 5);
    // ... unless every slot is taken (a finished request looks again) or this node is sending to it.
    expect(nextSharedScan([head('a', -15)], new Set(), now, false)).toBe(now + 5000);
    expect(nextSharedScan([head('a', -15), head('c', 2000)], new Set(['a']), now, true)).toBe(now + 2000);
  });
});
