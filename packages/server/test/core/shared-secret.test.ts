import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onCleanup, startTestServer } from '../helper.js';
import { OWNER, call, login } from '../agent-helper.js';
import { createTestDatabase, requirePostgres } from '../db/postgres-helper.js';

/*
 * Nodes started without PARLEY_SECRET on one PostgreSQL database, each with a data folder of its
 * own: they must sign and read tokens with one secret, or an agent signed in through one node
 * would be refused by the next.
 */

const hasPostgres = await requirePostgres();

async function database() {
  const made = await createTestDatabase('shared_secret');
  onCleanup(() => made.drop());
  return made.url;
}

describe.skipIf(!hasPostgres)('the instance secret on several nodes (PostgreSQL)', () => {
  it('is made once in the database and shared: a token signed through one node is taken by the other', async () => {
    const databaseUrl = await database();
    const options = { databaseUrl, redisUrl: undefined, secret: undefined, adminEmail: OWNER.email, adminPassword: OWNER.password };
    const a = await startTestServer(options);
    const b = await startTestServer(options);
    expect(a.app.secrets.instance.length).toBeGreaterThanOrEqual(32);
    expect(b.app.secrets.instance).toBe(a.app.secrets.instance);
    const session = await login(a.http, OWNER.email, OWNER.password);
    expect((await call(b.http, 'GET', '/api/chats', { token: session.token })).status).toBe(200);
    // An AI key sealed through A opens on B (the settings test message reaches the provider with it).
    expect((await call(a.http, 'PUT', '/api/ai/config', { token: session.token, body: { enabled: true, base_url: 'http://127.0.0.1:9/v1', api_key: 'sk-shared-1', model: 'm' } })).status).toBe(200);
    const sealed = (await a.app.db.selectFrom('ai_settings').select('api_key_sealed').executeTakeFirstOrThrow()).api_key_sealed!;
    expect(b.app.secrets.sealer('ai-api-key').open(sealed)).toBe('sk-shared-1');
  });

  it('keeps the secret a node already had in its data folder, so what it sealed before still opens', async () => {
    const databaseUrl = await database();
    const dataDir = mkdtempSync(join(tmpdir(), 'parley-secret-'));
    onCleanup(() => import('node:fs').then((fs) => fs.rmSync(dataDir, { recursive: true, force: true })));
    const before = 'an-existing-secret-of-this-node-0123456789-abcdef';
    writeFileSync(join(dataDir, 'secret'), before, { mode: 0o600 });
    const a = await startTestServer({ databaseUrl, redisUrl: undefined, secret: undefined, dataDir });
    const b = await startTestServer({ databaseUrl, redisUrl: undefined, secret: undefined });
    expect(a.app.secrets.instance).toBe(before);
    expect(b.app.secrets.instance).toBe(before);
  });
});
