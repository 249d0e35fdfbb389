import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { WebhookEndpointResponse } from '@parley/protocol';
import type { ParleyOptions } from '../../src/config.js';
import { onCleanup, rawSql, tempDataDir } from '../helper.js';
import { call, login, OWNER, SECRET, startAgentServer } from '../agent-helper.js';
import { createTestDatabase, requirePostgres } from '../db/postgres-helper.js';
import { startReceiver, type Received } from '../support/webhook-receiver.js';
import { startNodeProcess } from '../support/node-process.js';
import { until } from '../support/until.js';

/**
 * Several nodes on one PostgreSQL database share the webhook queue: each endpoint gets its events
 * exactly once and in order, whichever node stored them and whichever sends them. These tests
 * make their own database, so they run in both passes; without PostgreSQL they skip, and under
 * CI (or PARLEY_REQUIRE_SERVICES=1) `requirePostgres` fails instead.
 */
const hasPostgres = await requirePostgres();

const fast = { allowPrivate: true, retryBaseMs: 40, retryMaxMs: 200, timeoutMs: 5000 };

/** Options every node of one deployment shares: the database, the owner, the secret that seals webhook secrets. */
async function deployment(webhooks: ParleyOptions['webhooks'] = {}): Promise<ParleyOptions> {
  const database = await createTestDatabase('webhook_nodes');
  // Registered before any node, so it runs after they are closed (cleanups run last first).
  onCleanup(() => database.drop());
  return {
    databaseUrl: database.url,
    adminEmail: OWNER.email,
    adminPassword: OWNER.password,
    secret: SECRET,
    limits: { sendLeadPerMinute: 10_000 },
    webhooks: { ...fast, ...webhooks },
  };
}

async function subscribe(http: string, token: string, url: string): Promise<{ id: string; secret: string }> {
  const made = await call<WebhookEndpointResponse>(http, 'POST', '/api/webhooks', { token, body: { url, events: ['lead.created'] } });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  return { id: made.body.endpoint.id, secret: made.body.secret! };
}

/** Posts a lead from the site; its `lead.created` event is stored before the answer. */
async function postLead(http: string, site: string, email: string): Promise<void> {
  const saved = await call(http, 'POST', `/api/send-lead?site=${site}`, { body: { email } });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
}

const emailOf = (r: Received) => (r.body.data as { lead: { data: { email: string } } }).lead.data.email;

/** Every delivery of the database, with its attempts, as the log has them. */
async function deliveries(app: FastifyInstance) {
  return rawSql<{ endpoint_id: string; status: string; attempts: number }>(app, 'SELECT endpoint_id, status, attempts FROM webhook_deliveries ORDER BY id');
}

describe('webhooks on several nodes (PostgreSQL)', () => {
  it.skipIf(!hasPostgres)('send each endpoint its events exactly once and in order while two nodes drain the queue', async () => {
    const options = await deployment();
    const a = await startAgentServer(options);
    const b = await startAgentServer(options);
    const owner = await login(a.http, OWNER.email, OWNER.password);
    const receivers = await Promise.all([1, 2, 3].map(() => startReceiver(() => ({ delayMs: 5 }))));
    for (const receiver of receivers) receiver.useSecret((await subscribe(a.http, owner.token, receiver.url)).secret);
    // Endpoints are kept in memory per node, and nothing tells B of those made on A yet: read them again.
    await b.app.webhooks.endpoints.load();

    // Leads arrive on both nodes in turn; each node queues their events and starts sending.
    const holders = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        for (const row of await rawSql<{ leased_by: string }>(a.app, 'SELECT leased_by FROM webhook_endpoints WHERE leased_by IS NOT NULL')) holders.add(row.leased_by);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    const site = a.app.companies.defaultCompany().siteKey;
    const emails = Array.from({ length: 24 }, (_, i) => `lead${i}@shop.test`);
    for (const [i, email] of emails.entries()) await postLead(i % 2 ? b.http : a.http, site, email);

    for (const receiver of receivers) await receiver.waitFor(emails.length, undefined, 20_000);
    await until(async () => (await deliveries(a.app)).every((d) => d.status === 'succeeded'), 'every delivery recorded');
    // Give a second send of anything the time to show up.
    await new Promise((resolve) => setTimeout(resolve, 300));
    watching = false;
    await watch;

    for (const receiver of receivers) {
      expect(receiver.received.map(emailOf)).toEqual(emails);
      expect(receiver.received.every((r) => r.signatureOk && r.standardOk)).toBe(true);
    }
    // Both nodes sent: each held leases while the queue drained.
    expect(holders.size).toBe(2);
    const log = await deliveries(a.app);
    expect(log).toHaveLength(emails.length * receivers.length);
    expect(log.every((d) => d.status === 'succeeded' && d.attempts === 1)).toBe(true);
    expect(await rawSql(a.app, 'SELECT id FROM webhook_endpoints WHERE leased_by IS NOT NULL OR lease_until IS NOT NULL')).toEqual([]);
  });

  it.skipIf(!hasPostgres)('keep an endpoint in order across nodes while it fails and is retried', async () => {
    const options = await deployment();
    const a = await startAgentServer(options);
    const b = await startAgentServer(options);
    const owner = await login(a.http, OWNER.email, OWNER.password);
    // Every third request fails once: its delivery waits for a retry, and nothing behind it may pass.
    const statuses: number[] = [];
    const receiver = await startReceiver((_r, i) => {
      statuses.push(i % 3 === 1 ? 500 : 200);
      return { status: statuses[i] };
    });
    receiver.useSecret((await subscribe(a.http, owner.token, receiver.url)).secret);
    await b.app.webhooks.endpoints.load();
    const site = a.app.companies.defaultCompany().siteKey;
    const emails = Array.from({ length: 10 }, (_, i) => `retry${i}@shop.test`);
    for (const [i, email] of emails.entries()) await postLead(i % 2 ? b.http : a.http, site, email);

    await until(() => receiver.received.filter((_, i) => statuses[i] === 200).length >= emails.length, 'every lead answered 200', 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const answered = receiver.received.filter((_, i) => statuses[i] === 200);
    expect(answered.map(emailOf)).toEqual(emails);
    // A failed request is always followed by the same event again, never by a later one.
    receiver.received.forEach((r, i) => {
      if (statuses[i] === 500) expect(emailOf(receiver.received[i + 1]!)).toBe(emailOf(r));
    });
    await until(async () => (await deliveries(a.app)).every((d) => d.status === 'succeeded'), 'every delivery recorded');
  });

  it.skipIf(!hasPostgres)('let another node take over the endpoints of a node killed mid-send once its lease runs out, losing nothing', async () => {
    const leaseMs = 1500;
    const options = await deployment({ leaseMs });
    // Node A in a process of its own, so it can die without releasing anything.
    const a = await startNodeProcess({ ...options, dataDir: tempDataDir() });
    const owner = await login(a.http, OWNER.email, OWNER.password);
    // The first request never gets an answer: node A is stuck sending it, holding the lease.
    const receiver = await startReceiver((_r, i) => (i === 0 ? { hang: true } : {}));
    const endpoint = await subscribe(a.http, owner.token, receiver.url);
    receiver.useSecret(endpoint.secret);
    const siteKey = await siteKeyOf(options);
    const emails = Array.from({ length: 5 }, (_, i) => `crash${i}@shop.test`);
    for (const email of emails) await postLead(a.http, siteKey, email);
    await receiver.waitFor(1);

    // Node B joins while A holds the lease (renewing it): B sends nothing.
    const b = await startAgentServer(options);
    const [lease] = await rawSql<{ leased_by: string | null }>(b.app, 'SELECT leased_by FROM webhook_endpoints WHERE id = ?', endpoint.id);
    expect(lease?.leased_by).toEqual(expect.any(String));
    await new Promise((resolve) => setTimeout(resolve, leaseMs + 500));
    expect(receiver.received).toHaveLength(1);

    await a.kill();
    const killedAt = Date.now();
    const all = await receiver.waitFor(emails.length + 1, undefined, 20_000);
    // B starts again from the delivery A never finished (same event id), then the rest, in order.
    expect(all.map(emailOf)).toEqual([emails[0], ...emails]);
    expect(all[1]!.headers['webhook-id']).toBe(all[0]!.headers['webhook-id']);
    expect(all[1]!.at).toBeGreaterThanOrEqual(killedAt);
    expect(all[1]!.at - killedAt).toBeLessThan(leaseMs + 1000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(receiver.received).toHaveLength(emails.length + 1);
    // A recorded nothing of the request it died in: every delivery shows the one attempt B made.
    await until(async () => (await deliveries(b.app)).every((d) => d.status === 'succeeded'), 'every delivery recorded');
    expect((await deliveries(b.app)).map((d) => [d.status, d.attempts])).toEqual(emails.map(() => ['succeeded', 1]));
    await until(async () => (await rawSql(b.app, 'SELECT id FROM webhook_endpoints WHERE leased_by IS NOT NULL')).length === 0, 'the lease released');
  });

  it.skipIf(!hasPostgres)('let another node take over from a node closed mid-send without waiting for its lease to run out', async () => {
    // A long lease: the takeover comes from A releasing it as it closes, not from its expiry.
    const options = await deployment({ leaseMs: 60_000 });
    const a = await startAgentServer(options);
    const owner = await login(a.http, OWNER.email, OWNER.password);
    const receiver = await startReceiver((_r, i) => (i === 0 ? { hang: true } : {}));
    receiver.useSecret((await subscribe(a.http, owner.token, receiver.url)).secret);
    const site = a.app.companies.defaultCompany().siteKey;
    const emails = ['close0@shop.test', 'close1@shop.test', 'close2@shop.test'];
    for (const email of emails) await postLead(a.http, site, email);
    await receiver.waitFor(1);
    const b = await startAgentServer(options);

    await a.app.close();
    const closedAt = Date.now();
    const all = await receiver.waitFor(emails.length + 1, undefined, 15_000);
    expect(all.map(emailOf)).toEqual([emails[0], ...emails]);
    // B finds the released endpoint at its next look (every 5 s at the latest), not after 60 s.
    expect(all[1]!.at - closedAt).toBeLessThan(6_000);
    await until(async () => (await deliveries(b.app)).every((d) => d.status === 'succeeded'), 'every delivery recorded');
    expect((await deliveries(b.app)).map((d) => [d.status, d.attempts])).toEqual(emails.map(() => ['succeeded', 1]));
  });
});

/** The default company's public site key, read from the shared database. */
async function siteKeyOf(options: ParleyOptions): Promise<string> {
  const pg = (await import('pg')).default;
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ site_key: string }>('SELECT site_key FROM companies ORDER BY created_at LIMIT 1');
    return rows[0]!.site_key;
  } finally {
    await client.end();
  }
}
