import { describe, expect, it } from 'vitest';
import { buildTestServer } from '../../helper.js';

describe('the conversation store', () => {
  it('recognises resent client ids from memory, and from the database past the cap or after a reload', async () => {
    const app = await buildTestServer({ flowFile: new URL('../../../bench/flows/turns.json', import.meta.url).pathname });
    const { conversation } = await app.chat.start(app.companies.resolveSite(undefined));
    const first = await app.chat.handleInput(conversation, { kind: 'text', value: 'hello', clientId: 'first' });
    expect(first.duplicate).toBe(false);
    expect(conversation.clientIds?.get('first')).toBe(first.userSeq);

    const again = await app.chat.handleInput(conversation, { kind: 'text', value: 'hello', clientId: 'first' });
    expect(again).toMatchObject({ duplicate: true, userSeq: first.userSeq });

    for (let i = 0; i < 260; i++) await app.chat.handleInput(conversation, { kind: 'text', value: `m${i}`, clientId: `m${i}` });
    // Past the cap the store stops remembering and asks the database instead.
    expect(conversation.clientIds).toBeUndefined();
    expect(await app.chat.handleInput(conversation, { kind: 'text', value: 'hello', clientId: 'first' })).toMatchObject({ duplicate: true, userSeq: first.userSeq });
    expect((await app.chat.handleInput(conversation, { kind: 'text', value: 'new', clientId: 'fresh' })).duplicate).toBe(false);
    const stored = app.sqlite.prepare('SELECT count(*) AS n FROM messages WHERE conversation_id = ? AND role = ?').get(conversation.id, 'user') as { n: number };
    expect(stored.n).toBe(262);
  });
});
