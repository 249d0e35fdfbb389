import { describe, expect, it } from 'vitest';
import { RECENT_CLIENT_IDS } from '../../src/conversations/conversations.js';
import { buildTestServer, rawSql } from '../helper.js';

describe('the conversation store', () => {
  it('recognises a resent client id among the latest visitor messages, in memory and after a reload', async () => {
    const app = await buildTestServer({ flowFile: new URL('../../bench/flows/turns.json', import.meta.url).pathname });
    const { conversation } = await app.chat.start(app.companies.resolveSite(undefined));
    const first = await app.chat.handleInput(conversation, { kind: 'text', text: 'hello' }, { clientId: 'first' });
    expect(first.duplicate).toBe(false);
    expect(conversation.clientIds?.get('first')).toBe(first.userSeq);
    const again = await app.chat.handleInput(conversation, { kind: 'text', text: 'hello' }, { clientId: 'first' });
    expect(again).toMatchObject({ duplicate: true, userSeq: first.userSeq, replies: [expect.objectContaining({ role: 'bot' })] });

    const sent: Array<{ id: string; seq: number }> = [];
    for (let i = 0; i < RECENT_CLIENT_IDS; i++) {
      const turn = await app.chat.handleInput(conversation, { kind: 'text', text: `m${i}` }, { clientId: `m${i}` });
      sent.push({ id: `m${i}`, seq: turn.userSeq });
    }
    expect(conversation.clientIds?.size).toBe(RECENT_CLIENT_IDS);
    // 'first' is now older than the window: it is taken as a new message.
    expect(conversation.clientIds?.has('first')).toBe(false);

    // A process that reads the conversation afresh (a restart) knows the same window from the database.
    app.conversations.forget(conversation.id);
    const reloaded = (await app.conversations.get(conversation.id))!;
    expect(reloaded).not.toBe(conversation);
    expect(reloaded.clientIds?.size).toBe(RECENT_CLIENT_IDS);
    const last = sent.at(-1)!;
    expect(await app.chat.handleInput(reloaded, { kind: 'text', text: 'x' }, { clientId: last.id })).toMatchObject({ duplicate: true, userSeq: last.seq });
    expect(await app.chat.handleInput(reloaded, { kind: 'text', text: 'x' }, { clientId: sent[0]!.id })).toMatchObject({ duplicate: true, userSeq: sent[0]!.seq });
    expect((await app.chat.handleInput(reloaded, { kind: 'text', text: 'new' }, { clientId: 'fresh' })).duplicate).toBe(false);
    const [stored] = await rawSql<{ n: number }>(app, 'SELECT count(*) AS n FROM messages WHERE conversation_id = ? AND role = ?', conversation.id, 'user');
    expect(Number(stored!.n)).toBe(1 + RECENT_CLIENT_IDS + 1);
  });
});
