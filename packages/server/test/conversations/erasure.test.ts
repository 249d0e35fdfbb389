import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server.js';
import { onCleanup, onSqlite, PNG_1PX, rawSql, tempDataDir, testDatabaseUrl, testStore } from '../helper.js';
import { addAgent, call, is, login, openAgent, openVisitor, OWNER, SECRET, startAgentServer } from '../agent-helper.js';
import { startReceiver } from '../support/webhook-receiver.js';

const fast = { allowPrivate: true, retryBaseMs: 40, retryMaxMs: 200, timeoutMs: 2000 };

/** A visitor who said `word`, with a lead and an uploaded image in their conversation. */
async function visitorWith(server: Awaited<ReturnType<typeof startAgentServer>>, word: string) {
  const visitor = await openVisitor(server.ws);
  const conversationId = visitor.welcome.conversation_id;
  visitor.socket.send({ type: 'message', id: `${word}-1`, text: `My ${word} never arrived` });
  await visitor.socket.next(is.messageWithRole('bot'));
  const companyId = server.app.companies.defaultCompany().id;
  await server.app.leads.save({ companyId, conversationId, source: 'api', data: { email: `${word}@visitor.test` } });
  const upload = await server.app.uploads.save(companyId, conversationId, PNG_1PX, 'image/png');
  return { ...visitor, conversationId, upload };
}

describe('deleting a conversation', () => {
  it('removes it with its messages, search entries, leads, uploads and webhook events; only admins may', async () => {
    const server = await startAgentServer({ webhooks: fast });
    const owner = await login(server.http, OWNER.email, OWNER.password);
    const receiver = await startReceiver(() => ({ hang: true }));
    const hook = await call(server.http, 'POST', '/api/webhooks', {
      token: owner.token,
      body: { url: receiver.url, events: ['message.created', 'lead.created'] },
    });
    expect(hook.status).toBe(201);
    const gone = await visitorWith(server, 'xylophone');
    const kept = await visitorWith(server, 'marimba');
    const dashboard = await openAgent(server.agentWs, owner.token);
    const count = async (sql: string, ...params: unknown[]) => Number((await rawSql<{ n: number }>(server.app, sql, ...params))[0]!.n);
    // raw SQL: where the payload names the conversation, in each dialect's words
    const names = onSqlite(server.app) ? 'instr(payload, ?) > 0' : 'strpos(payload, ?) > 0';
    const search = async (q: string) => (await call(server.http, 'GET', `/api/search?q=${q}`, { token: owner.token })).body.results.length;
    expect(await search('xylophone')).toBe(1);
    // The bytes: a file on SQLite, a row of upload_blobs on PostgreSQL.
    const companyId = server.app.companies.defaultCompany().id;
    const stored = async (upload: string) =>
      onSqlite(server.app)
        ? existsSync(join(server.app.config.dataDir, 'uploads', companyId, upload))
        : (await count('SELECT count(*) AS n FROM upload_blobs WHERE upload_id = ?', upload)) > 0;
    expect(await stored(gone.upload)).toBe(true);
    expect((await fetch(`${server.http}/uploads/${gone.upload}`)).status).toBe(200);
    expect(await count(`SELECT count(*) AS n FROM webhook_events WHERE ${names}`, gone.conversationId)).toBeGreaterThan(0);

    const agent = await addAgent(server.app, server.http, server.app.companies.defaultCompany().id, 'Dana');
    const refused = await call(server.http, 'DELETE', `/api/chats/${gone.conversationId}`, { token: agent.token });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ code: 'forbidden' });

    const deleted = await call(server.http, 'DELETE', `/api/chats/${gone.conversationId}`, { token: owner.token });
    expect(deleted.status).toBe(204);

    // Everything of it is gone, nothing of the other conversation.
    for (const [table, column] of [
      ['conversations', 'id'],
      ['messages', 'conversation_id'],
      ['leads', 'conversation_id'],
      ['uploads', 'conversation_id'],
      ['conversation_sessions', 'conversation_id'],
    ]) {
      expect(await count(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`, gone.conversationId), table).toBe(0);
      if (table !== 'conversation_sessions') expect(await count(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`, kept.conversationId), table).toBeGreaterThan(0);
    }
    expect(await count(`SELECT count(*) AS n FROM webhook_events WHERE ${names}`, gone.conversationId)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM webhook_events WHERE ${names}`, kept.conversationId)).toBeGreaterThan(0);
    expect(await stored(gone.upload)).toBe(false);
    expect(await stored(kept.upload)).toBe(true);
    expect((await fetch(`${server.http}/uploads/${gone.upload}`)).status).toBe(404);
    expect(await search('xylophone')).toBe(0);
    expect(await search('marimba')).toBe(1);
    // The FTS5 index and its integrity check are SQLite's (PostgreSQL's GIN index follows its table).
    if (onSqlite(server.app)) {
      server.app.sqlite.exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')");
      expect(server.app.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    }

    // The visitor's socket closes with 4404 (the widget starts afresh); agents drop it.
    expect(await gone.socket.closed).toBe(4404);
    await dashboard.socket.next(is.type('conversation_deleted', { conversation_id: gone.conversationId }));
    expect((await call(server.http, 'GET', `/api/chats/${gone.conversationId}`, { token: owner.token })).status).toBe(404);
    const again = await call(server.http, 'DELETE', `/api/chats/${gone.conversationId}`, { token: owner.token });
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: 'not_found' });
    // Its session is unknown now; a new hello starts a new conversation.
    const back = await openVisitor(server.ws);
    expect(back.welcome.conversation_id).not.toBe(gone.conversationId);
    // The other visitor chats on.
    kept.socket.send({ type: 'message', id: 'marimba-2', text: 'Still there?' });
    await kept.socket.next(is.messageWithRole('bot'));
  });
});

describe('the retention policy', () => {
  it('deletes conversations idle for longer than PARLEY_RETENTION_DAYS, except those with a person', async () => {
    const dataDir = tempDataDir();
    const store = testStore === 'postgres' ? { databaseUrl: await testDatabaseUrl() } : {};
    const first = await buildServer({ dataDir, logLevel: 'silent', secret: SECRET, ...store });
    const company = first.companies.defaultCompany();
    const old = await first.chat.start(company);
    const waiting = await first.chat.start(company);
    await first.chat.requestHandoff(waiting.conversation, 'api');
    const recent = await first.chat.start(company);
    const longAgo = new Date(Date.now() - 40 * 86_400_000).toISOString();
    await rawSql(first, 'UPDATE conversations SET updated_at = ? WHERE id IN (?, ?)', longAgo, old.conversation.id, waiting.conversation.id);
    await first.close();

    // The policy runs when the server is ready.
    const second = await buildServer({ dataDir, logLevel: 'silent', secret: SECRET, retentionDays: 30, ...store });
    onCleanup(() => second.close());
    await second.ready();
    const ids = async () => {
      for (let i = 0; i < 100; i++) {
        const rows = await rawSql<{ id: string }>(second, 'SELECT id FROM conversations');
        if (rows.length === 2) return rows.map((r) => r.id).sort();
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      throw new Error('the old conversation was not deleted');
    };
    expect(await ids()).toEqual([waiting.conversation.id, recent.conversation.id].sort());
    expect(await rawSql(second, 'SELECT count(*) AS n FROM messages WHERE conversation_id = ?', old.conversation.id)).toEqual([{ n: 0 }]);
    // Nothing else is old enough.
    expect(await second.eraser.eraseExpired(30)).toBe(0);
    expect(await second.eraser.eraseExpired(0, Date.now() + 1000)).toBe(1);
  });
});
