import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { SavedReplyList, SavedReplyResponse } from '@parley/protocol';
import { migrationProvider } from '../../src/db/migrations/index.js';
import { MAX_SAVED_REPLIES } from '../../src/inbox/saved-replies.js';
import { onCleanup, rawSql, tempDataDir } from '../helper.js';
import { addAgent, addCompany, call, login, OWNER, startAgentServer } from '../agent-helper.js';

describe('saved replies', () => {
  it('are listed for every agent of the company and managed by admins only', async () => {
    const { app, http } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const agent = await addAgent(app, http, app.companies.defaultCompany().id, 'Dana');
    const add = (token: string, body: unknown) => call<SavedReplyResponse>(http, 'POST', '/api/saved-replies', { token, body });

    const made = await add(owner.token, { shortcut: 'refund', text: 'Refunds reach your card within 5 days.' });
    expect(made.status).toBe(201);
    expect(made.body.reply).toMatchObject({ shortcut: 'refund', text: 'Refunds reach your card within 5 days.' });
    expect((await add(owner.token, { shortcut: 'hello', text: 'Hi! How can I help?' })).status).toBe(201);
    const refused = await add(agent.token, { shortcut: 'mine', text: 'x' });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'forbidden' });

    const listed = await call<SavedReplyList>(http, 'GET', '/api/saved-replies', { token: agent.token });
    expect(listed.status).toBe(200);
    expect(listed.body.replies.map((r) => r.shortcut)).toEqual(['hello', 'refund']);

    // Bad input is refused in the documented shape; a taken shortcut is a conflict.
    for (const body of [{ shortcut: 'Has Space', text: 'x' }, { shortcut: '-dash', text: 'x' }, { shortcut: 'ok', text: '' }, { shortcut: 'ok', text: 'x'.repeat(2001) }, { shortcut: 'ok' }]) {
      const bad = await add(owner.token, body);
      expect(bad.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(bad.body).toMatchObject({ statusCode: 400, code: 'validation_failed' });
    }
    const taken = await add(owner.token, { shortcut: 'refund', text: 'again' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'conflict' });

    const id = made.body.reply.id;
    const changed = await call<SavedReplyResponse>(http, 'PATCH', `/api/saved-replies/${id}`, { token: owner.token, body: { shortcut: 'refunds', text: 'Refunds take 5 days.' } });
    expect(changed.status).toBe(200);
    expect(changed.body.reply).toMatchObject({ id, shortcut: 'refunds', text: 'Refunds take 5 days.' });
    expect((await call(http, 'PATCH', `/api/saved-replies/${id}`, { token: owner.token, body: { shortcut: 'hello' } })).status).toBe(409);
    expect((await call(http, 'PATCH', `/api/saved-replies/${id}`, { token: agent.token, body: { text: 'mine now' } })).status).toBe(403);
    expect((await call(http, 'DELETE', `/api/saved-replies/${id}`, { token: agent.token })).status).toBe(403);
    expect((await call(http, 'DELETE', `/api/saved-replies/${id}`, { token: owner.token })).status).toBe(204);
    expect((await call(http, 'DELETE', `/api/saved-replies/${id}`, { token: owner.token })).status).toBe(404);
    expect((await call<SavedReplyList>(http, 'GET', '/api/saved-replies', { token: owner.token })).body.replies.map((r) => r.shortcut)).toEqual(['hello']);

    // Another company sees none of them and cannot touch them; shortcuts are per company.
    const other = await addCompany(app, http, 'Bravo');
    expect((await call<SavedReplyList>(http, 'GET', '/api/saved-replies', { token: other.token })).body.replies).toEqual([]);
    const hello = (await call<SavedReplyList>(http, 'GET', '/api/saved-replies', { token: owner.token })).body.replies[0]!;
    expect((await call(http, 'PATCH', `/api/saved-replies/${hello.id}`, { token: other.token, body: { text: 'Hijacked' } })).status).toBe(404);
    expect((await call(http, 'DELETE', `/api/saved-replies/${hello.id}`, { token: other.token })).status).toBe(404);
    expect((await add(other.token, { shortcut: 'hello', text: 'Bravo says hi' })).status).toBe(201);
    expect((await call<SavedReplyList>(http, 'GET', '/api/saved-replies', { token: owner.token })).body.replies[0]!.text).toBe('Hi! How can I help?');
  });

  it(`stops at ${MAX_SAVED_REPLIES} per company`, async () => {
    const { app, http } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const companyId = app.companies.defaultCompany().id;
    const rows = Array.from({ length: MAX_SAVED_REPLIES }, (_, i) => [`r${i}`, companyId, `s${i}`]);
    await rawSql(
      app,
      `INSERT INTO saved_replies (id, company_id, shortcut, text, created_at, updated_at) VALUES ${rows.map(() => "(?, ?, ?, 'x', '', '')").join(', ')}`,
      ...rows.flat(),
    );
    const full = await call(http, 'POST', '/api/saved-replies', { token: owner.token, body: { shortcut: 'one-more', text: 'x' } });
    expect(full.status).toBe(409);
    expect(full.body.message).toContain(String(MAX_SAVED_REPLIES));
  });

  it('come with the 2026_11_27_0003 migration, which goes back down', async () => {
    const sqlite = new SQLite(join(tempDataDir(), 'old.sqlite'));
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
    onCleanup(() => db.destroy());
    const migrator = new Migrator({ db, provider: migrationProvider });
    expect((await migrator.migrateTo('2026_11_27_0003_saved_replies')).error).toBeUndefined();
    sqlite.prepare("INSERT INTO companies (id, name, site_key, created_at) VALUES ('co', 'Co', 'site', '')").run();
    const insert = sqlite.prepare("INSERT INTO saved_replies (id, company_id, shortcut, text, created_at, updated_at) VALUES (?, 'co', 'hi', 'Hi', '', '')");
    insert.run('a');
    expect(() => insert.run('b')).toThrow(/UNIQUE/);
    expect((await migrator.migrateTo('2026_11_27_0002_webhook_previous_secret')).error).toBeUndefined();
    expect(sqlite.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'saved_replies'").get()).toEqual({ n: 0 });
  });
});
