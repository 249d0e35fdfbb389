import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { NoteList, NoteResponse } from '@parley/protocol';
import { migrationProvider } from '../../src/db/migrations/index.js';
import { onCleanup, rawSql, tempDataDir } from '../helper.js';
import { addAgent, addCompany, call, is, login, openAgent, openVisitor, OWNER, startAgentServer } from '../agent-helper.js';

describe('internal notes', () => {
  it('are shared live among the company agents and never reach the visitor', async () => {
    const { app, http, ws, agentWs } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const companyId = app.companies.defaultCompany().id;
    const dana = await addAgent(app, http, companyId, 'Dana');
    const eve = await addAgent(app, http, companyId, 'Eve');
    const visitor = await openVisitor(ws);
    const id = visitor.welcome.conversation_id;
    const eveSocket = await openAgent(agentWs, eve.token);

    const added = await call<NoteResponse>(http, 'POST', `/api/chats/${id}/notes`, { token: dana.token, body: { text: 'VIP: refund approved by Sam' } });
    expect(added.status).toBe(201);
    expect(added.body.note).toMatchObject({ conversation_id: id, author: { id: dana.user.id, name: 'Dana' }, text: 'VIP: refund approved by Sam' });
    const frame = await eveSocket.socket.next(is.type('note'));
    expect(frame).toMatchObject({ conversation_id: id, note: { id: added.body.note.id, text: 'VIP: refund approved by Sam' } });
    await call(http, 'POST', `/api/chats/${id}/notes`, { token: eve.token, body: { text: 'Second note' } });
    const listed = await call<NoteList>(http, 'GET', `/api/chats/${id}/notes`, { token: owner.token });
    expect(listed.body.notes.map((n) => n.text)).toEqual(['VIP: refund approved by Sam', 'Second note']);

    // The visitor chats on; nothing they receive, nor their transcript, holds a note.
    visitor.socket.send({ type: 'message', id: 'n1', text: 'Any news?' });
    await visitor.socket.next((f) => f.type === 'message' && (f as { message: { role: string; seq: number } }).message.role === 'bot' && (f as { message: { seq: number } }).message.seq > 2);
    expect(JSON.stringify(visitor.socket.frames)).not.toContain('refund approved');
    expect(JSON.stringify(visitor.socket.frames)).not.toContain('Second note');
    const history = await fetch(`${http}/api/chatbot/messages?chatbot_session=${visitor.welcome.session}`);
    expect(history.status).toBe(200);
    const transcript = await history.text();
    expect(transcript).toContain('Any news?');
    expect(transcript).not.toContain('refund approved');

    // Only its author or an admin removes a note.
    const first = added.body.note.id;
    expect((await call(http, 'DELETE', `/api/chats/${id}/notes/${first}`, { token: eve.token })).status).toBe(403);
    expect((await call(http, 'DELETE', `/api/chats/${id}/notes/${first}`, { token: dana.token })).status).toBe(204);
    await eveSocket.socket.next(is.type('note_deleted', { note_id: first }));
    const second = listed.body.notes[1]!.id;
    expect((await call(http, 'DELETE', `/api/chats/${id}/notes/${second}`, { token: owner.token })).status).toBe(204);
    expect((await call(http, 'DELETE', `/api/chats/${id}/notes/${second}`, { token: owner.token })).status).toBe(404);

    // Bad input and other companies are refused.
    expect((await call(http, 'POST', `/api/chats/${id}/notes`, { token: dana.token, body: { text: '' } })).status).toBe(400);
    expect((await call(http, 'POST', `/api/chats/${id}/notes`, { token: dana.token, body: { text: 'x'.repeat(4001) } })).status).toBe(400);
    const other = await addCompany(app, http, 'Bravo');
    expect((await call(http, 'GET', `/api/chats/${id}/notes`, { token: other.token })).status).toBe(404);
    expect((await call(http, 'POST', `/api/chats/${id}/notes`, { token: other.token, body: { text: 'Sneaky' } })).status).toBe(404);

    // They go with their conversation.
    await call(http, 'POST', `/api/chats/${id}/notes`, { token: dana.token, body: { text: 'Left behind?' } });
    expect((await call(http, 'DELETE', `/api/chats/${id}`, { token: owner.token })).status).toBe(204);
    expect(await rawSql(app, 'SELECT count(*) AS n FROM conversation_notes')).toEqual([{ n: 0 }]);
  });

  it('come with the 2026_11_27_0004 migration, which goes back down', async () => {
    const sqlite = new SQLite(join(tempDataDir(), 'old.sqlite'));
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
    onCleanup(() => db.destroy());
    const migrator = new Migrator({ db, provider: migrationProvider });
    expect((await migrator.migrateTo('2026_11_27_0004_conversation_notes')).error).toBeUndefined();
    const columns = (sqlite.prepare("SELECT name FROM pragma_table_info('conversation_notes')").all() as Array<{ name: string }>).map((c) => c.name);
    expect(columns).toEqual(['id', 'company_id', 'conversation_id', 'author_id', 'author_name', 'text', 'created_at']);
    expect((await migrator.migrateTo('2026_11_27_0003_saved_replies')).error).toBeUndefined();
    expect(sqlite.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'conversation_notes'").get()).toEqual({ n: 0 });
  });
});
