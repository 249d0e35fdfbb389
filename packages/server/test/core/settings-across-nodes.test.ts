import { describe, expect, it } from 'vitest';
import { onCleanup, startTestServer } from '../helper.js';
import { OWNER, SECRET, call, login } from '../agent-helper.js';
import { createTestDatabase, requirePostgres } from '../db/postgres-helper.js';

/*
 * Settings each node keeps in memory (companies, CSAT, AI, identity, flows…) follow a change made
 * on another node: triggers bump `settings_version`, and every node polls it and reads them again.
 */

const hasPostgres = await requirePostgres();

describe.skipIf(!hasPostgres)('settings changed on another node (PostgreSQL)', () => {
  it('reach the other node once it notices the settings version moved', async () => {
    const database = await createTestDatabase('settings_nodes');
    onCleanup(() => database.drop());
    const options = { databaseUrl: database.url, redisUrl: undefined, adminEmail: OWNER.email, adminPassword: OWNER.password, secret: SECRET };
    const a = await startTestServer(options);
    const b = await startTestServer(options);
    const admin = await login(a.http, OWNER.email, OWNER.password);
    const companyId = admin.user.company_id;
    expect(b.app.csat.settings(companyId).scale).toBe('five');

    // On A: the company is renamed and its CSAT settings change.
    expect((await call(a.http, 'PUT', '/api/csat/settings', { token: admin.token, body: { enabled: true, scale: 'thumbs', ask_after: 'both' } })).status).toBe(200);
    await a.app.companies.update(companyId, { name: 'Renamed on A', allowedOrigins: ['https://shop.example'] });

    // B still holds what it read (until it polls), then reads them again.
    await b.app.externalChanges.checkNow();
    expect(b.app.csat.settings(companyId)).toMatchObject({ enabled: true, scale: 'thumbs' });
    expect(b.app.companies.byIdOrUndefined(companyId)).toMatchObject({ name: 'Renamed on A', allowedOrigins: ['https://shop.example'] });
    // And through B's API.
    expect((await call(b.http, 'GET', '/api/csat/settings', { token: admin.token })).body).toMatchObject({ scale: 'thumbs' });

    // A webhook endpoint made on A is listed (and queued for) on B; removed on A, it goes on B too.
    const made = await call(a.http, 'POST', '/api/webhooks', { token: admin.token, body: { url: 'https://hooks.crm.test/parley', events: ['lead.created'] } });
    expect(made.status).toBe(201);
    await b.app.externalChanges.checkNow();
    const listed = await call(b.http, 'GET', '/api/webhooks', { token: admin.token });
    expect(JSON.stringify(listed.body)).toContain(made.body.endpoint.id);
    expect((await call(a.http, 'DELETE', `/api/webhooks/${made.body.endpoint.id}`, { token: admin.token })).status).toBe(204);
    await b.app.externalChanges.checkNow();
    expect(JSON.stringify((await call(b.http, 'GET', '/api/webhooks', { token: admin.token })).body)).not.toContain(made.body.endpoint.id);
  });
});
