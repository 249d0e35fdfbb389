import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildTestServer } from '../helper.js';

/** Stores a message the way the write path does, and returns its row id. */
function store(app: FastifyInstance, conversationId: string, seq: number, text: string): number {
  const companyId = (app.sqlite.prepare('SELECT company_id FROM conversations WHERE id = ?').get(conversationId) as { company_id: string }).company_id;
  const components = JSON.stringify([{ type: 'text', payload: { text } }]);
  return Number(
    app.sqlite
      .prepare('INSERT INTO messages (conversation_id, company_id, seq, role, components, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(conversationId, companyId, seq, 'user', components, text, new Date().toISOString()).lastInsertRowid,
  );
}

function matches(app: FastifyInstance, word: string): number[] {
  return (app.sqlite.prepare('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid').all(word) as Array<{ rowid: number }>).map(
    (r) => r.rowid,
  );
}

async function conversation(app: FastifyInstance): Promise<string> {
  const { conversation } = await app.chat.start(app.companies.resolveSite(undefined));
  return conversation.id;
}

describe('the batched search index', () => {
  it('indexes stored messages on flush, not in the transaction that stores them', async () => {
    const app = await buildTestServer();
    const id = store(app, await conversation(app), 2, 'where is my walrus');
    expect(matches(app, 'walrus')).toEqual([]);
    expect(await app.searchIndex.flush()).toBeGreaterThanOrEqual(1);
    expect(matches(app, 'walrus')).toEqual([id]);
    expect(await app.searchIndex.flush()).toBe(0);
  });

  it('indexes only as many batches of 100 as asked, and the rest on the next flush', async () => {
    const app = await buildTestServer();
    const c = await conversation(app);
    for (let seq = 2; seq < 252; seq++) store(app, c, seq, `parcel ${seq}`);
    // (The background pass may take batches meanwhile: this call still takes exactly one.)
    expect(await app.searchIndex.flush(1)).toBe(100);
    await app.searchIndex.flush();
    expect(matches(app, 'parcel')).toHaveLength(250);
  });

  it('stays exact when pending and indexed messages are edited or deleted', async () => {
    const app = await buildTestServer();
    const c = await conversation(app);
    const indexed = store(app, c, 2, 'alpha parcel');
    await app.searchIndex.flush();
    const pending = store(app, c, 3, 'beta parcel');
    app.sqlite.prepare('UPDATE messages SET text = ? WHERE id = ?').run('gamma parcel', indexed);
    app.sqlite.prepare('UPDATE messages SET text = ? WHERE id = ?').run('delta parcel', pending);
    await app.searchIndex.flush();
    expect(matches(app, 'alpha')).toEqual([]);
    expect(matches(app, 'beta')).toEqual([]);
    expect(matches(app, 'gamma')).toEqual([indexed]);
    expect(matches(app, 'delta')).toEqual([pending]);

    app.sqlite.prepare('DELETE FROM messages WHERE id = ?').run(pending);
    // The highest id is free again: SQLite may hand it to the next message.
    const reused = store(app, c, 4, 'epsilon parcel');
    expect(reused).toBe(pending);
    await app.searchIndex.flush();
    expect(matches(app, 'delta')).toEqual([]);
    expect(matches(app, 'epsilon')).toEqual([reused]);
    expect(matches(app, 'parcel')).toEqual([indexed, reused]);

    // The newest message was indexed: deleting it lowers the watermark, so its id, reused, is indexed again.
    app.sqlite.prepare('DELETE FROM messages WHERE id = ?').run(reused);
    const again = store(app, c, 5, 'zeta parcel');
    expect(again).toBe(reused);
    await app.searchIndex.flush();
    expect(matches(app, 'epsilon')).toEqual([]);
    expect(matches(app, 'zeta')).toEqual([again]);
    expect(() => app.sqlite.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
  });

  it('merges segments in small steps after each batch, and stays searchable and sound', async () => {
    const app = await buildTestServer();
    const automerge = app.sqlite.prepare("SELECT v FROM messages_fts_config WHERE k = 'automerge'").get() as { v: number };
    expect(automerge.v).toBe(0);
    const c = await conversation(app);
    let seq = 1;
    for (let batch = 0; batch < 30; batch++) {
      for (let i = 0; i < 20; i++) store(app, c, ++seq, `parcel number ${seq} batch${batch}`);
      await app.searchIndex.flush();
    }
    expect(matches(app, 'batch29')).toHaveLength(20);
    expect(matches(app, 'parcel')).toHaveLength(600);
    expect(() => app.sqlite.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
  });
});
