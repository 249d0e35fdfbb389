import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { onboardCompany } from '../../src/companies/onboarding.js';
import { buildTestServer, rawSql, testStore } from '../helper.js';

/** Stores a message the way the write path does, and returns its row id. */
async function store(app: FastifyInstance, conversationId: string, seq: number, text: string): Promise<number> {
  const [row] = await rawSql<{ company_id: string }>(app, 'SELECT company_id FROM conversations WHERE id = ?', conversationId);
  const components = JSON.stringify([{ type: 'text', payload: { text } }]);
  const [stored] = await rawSql<{ id: number }>(
    app,
    'INSERT INTO messages (conversation_id, company_id, seq, role, components, text, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id',
    conversationId,
    row!.company_id,
    seq,
    'user',
    components,
    text,
    new Date().toISOString(),
  );
  return Number(stored!.id);
}

/** The rows FTS5 finds for a word, without a flush first (SQLite only: `messages_fts` is FTS5's). */
async function matches(app: FastifyInstance, word: string): Promise<number[]> {
  return (await rawSql<{ rowid: number }>(app, 'SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid', word)).map((r) => r.rowid);
}

async function conversation(app: FastifyInstance, siteKey?: string): Promise<string> {
  const { conversation } = await app.chat.start(app.companies.resolveSite(siteKey));
  return conversation.id;
}

/** What a search of the company finds, as `seq: snippet`. */
async function found(app: FastifyInstance, companyId: string, text: string): Promise<string[]> {
  return (await app.searchIndex.search(companyId, text, 20)).map((hit) => `${hit.seq}: ${hit.snippet}`);
}

describe('message search, on either database', () => {
  it("finds a message as soon as it is stored, every word, the last as a prefix, and never another company's", async () => {
    const app = await buildTestServer();
    const a = app.companies.defaultCompany().id;
    const { company: bravo } = await onboardCompany(app, { name: 'Bravo' });
    const mine = await conversation(app);
    const theirs = await conversation(app, bravo.siteKey);

    await store(app, mine, 2, 'Where is my walrus? It left the zoo on Monday.');
    await store(app, theirs, 2, 'Our walrus arrived in a crate');
    expect(await found(app, a, 'walrus')).toEqual(['2: Where is my <mark>walrus</mark>? It left the zoo on Monday.']);
    expect(await found(app, bravo.id, 'WALRUS')).toEqual(['2: Our <mark>walrus</mark> arrived in a crate']);
    // Every word must match; the last, still being typed, matches as a prefix.
    expect(await found(app, a, 'zoo walr')).toEqual(['2: Where is my <mark>walrus</mark>? It left the <mark>zoo</mark> on Monday.']);
    expect(await found(app, a, 'walrus crate')).toEqual([]);
    expect(await found(app, a, 'walr.')).toEqual([]);
    expect(await found(app, bravo.id, 'crate walrus')).toHaveLength(1);
    // Query syntax is plain text; nothing searchable finds nothing.
    expect(await found(app, a, 'walrus" OR x:* NEAR(')).toEqual([]);
    expect(await found(app, a, '*** ::')).toEqual([]);

    // The snippet is safe HTML, twelve words from the hit's sentence (as FTS5's `snippet()`).
    await store(app, mine, 3, 'One two three. Four five six seven eight nine ten <b>refund</b> & eleven twelve thirteen fourteen fifteen sixteen');
    expect(await found(app, a, 'refund')).toEqual(['3: …Four five six seven eight nine ten &lt;b&gt;<mark>refund</mark>&lt;/b&gt; &amp; eleven twelve…']);

    // A test conversation's messages are not searched.
    const test = await conversation(app);
    await rawSql(app, 'UPDATE conversations SET is_test = 1 WHERE id = ?', test);
    await store(app, test, 2, 'walrus practice run');
    expect(await found(app, a, 'walrus')).toHaveLength(1);
  });

  it('follows edits and deletes at once', async () => {
    const app = await buildTestServer();
    const a = app.companies.defaultCompany().id;
    const c = await conversation(app);
    const first = await store(app, c, 2, 'alpha parcel');
    await store(app, c, 3, 'beta parcel');
    expect(await found(app, a, 'parcel')).toHaveLength(2);
    await rawSql(app, 'UPDATE messages SET text = ? WHERE id = ?', 'gamma parcel', first);
    expect(await found(app, a, 'alpha')).toEqual([]);
    expect(await found(app, a, 'gamma')).toEqual(['2: <mark>gamma</mark> parcel']);
    await rawSql(app, 'DELETE FROM messages WHERE id = ?', first);
    expect(await found(app, a, 'gamma')).toEqual([]);
    expect(await found(app, a, 'parcel')).toEqual(['3: beta <mark>parcel</mark>']);
  });
});

// The batched FTS5 indexer (watermark, batches, segment merging) is SQLite's alone: on
// PostgreSQL the GIN index follows each write and there is nothing to index or merge.
describe.skipIf(testStore === 'postgres')('the batched FTS5 index (SQLite only)', () => {
  it('indexes stored messages on flush, not in the transaction that stores them', async () => {
    const app = await buildTestServer();
    const id = await store(app, await conversation(app), 2, 'where is my walrus');
    expect(await matches(app, 'walrus')).toEqual([]);
    expect(await app.searchIndex.flush()).toBeGreaterThanOrEqual(1);
    expect(await matches(app, 'walrus')).toEqual([id]);
    expect(await app.searchIndex.flush()).toBe(0);
  });

  it('indexes only as many batches of 100 as asked, and the rest on the next flush', async () => {
    const app = await buildTestServer();
    const c = await conversation(app);
    for (let seq = 2; seq < 252; seq++) await store(app, c, seq, `parcel ${seq}`);
    // (The background pass may take batches meanwhile: this call still takes exactly one.)
    expect(await app.searchIndex.flush(1)).toBe(100);
    await app.searchIndex.flush();
    expect(await matches(app, 'parcel')).toHaveLength(250);
  });

  it('stays exact when pending and indexed messages are edited or deleted', async () => {
    const app = await buildTestServer();
    const c = await conversation(app);
    const indexed = await store(app, c, 2, 'alpha parcel');
    await app.searchIndex.flush();
    const pending = await store(app, c, 3, 'beta parcel');
    await rawSql(app, 'UPDATE messages SET text = ? WHERE id = ?', 'gamma parcel', indexed);
    await rawSql(app, 'UPDATE messages SET text = ? WHERE id = ?', 'delta parcel', pending);
    await app.searchIndex.flush();
    expect(await matches(app, 'alpha')).toEqual([]);
    expect(await matches(app, 'beta')).toEqual([]);
    expect(await matches(app, 'gamma')).toEqual([indexed]);
    expect(await matches(app, 'delta')).toEqual([pending]);

    await rawSql(app, 'DELETE FROM messages WHERE id = ?', pending);
    // The highest id is free again: SQLite may hand it to the next message.
    const reused = await store(app, c, 4, 'epsilon parcel');
    expect(reused).toBe(pending);
    await app.searchIndex.flush();
    expect(await matches(app, 'delta')).toEqual([]);
    expect(await matches(app, 'epsilon')).toEqual([reused]);
    expect(await matches(app, 'parcel')).toEqual([indexed, reused]);

    // The newest message was indexed: deleting it lowers the watermark, so its id, reused, is indexed again.
    await rawSql(app, 'DELETE FROM messages WHERE id = ?', reused);
    const again = await store(app, c, 5, 'zeta parcel');
    expect(again).toBe(reused);
    await app.searchIndex.flush();
    expect(await matches(app, 'epsilon')).toEqual([]);
    expect(await matches(app, 'zeta')).toEqual([again]);
    expect(() => app.sqlite.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
  });

  it('merges segments in small steps after each batch, and stays searchable and sound', async () => {
    const app = await buildTestServer();
    const automerge = app.sqlite.prepare("SELECT v FROM messages_fts_config WHERE k = 'automerge'").get() as { v: number };
    expect(automerge.v).toBe(0);
    const c = await conversation(app);
    let seq = 1;
    for (let batch = 0; batch < 30; batch++) {
      for (let i = 0; i < 20; i++) await store(app, c, ++seq, `parcel number ${seq} batch${batch}`);
      await app.searchIndex.flush();
    }
    expect(await matches(app, 'batch29')).toHaveLength(20);
    expect(await matches(app, 'parcel')).toHaveLength(600);
    expect(() => app.sqlite.prepare("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)").run()).not.toThrow();
  });
});
