import { describe, expect, it } from 'vitest';
import { buildTestServer, rawSql, testStore } from '../helper.js';

/*
 * PostgreSQL may pick a transaction to break a deadlock (40P01): two nodes' batches took shared
 * rows, such as a company's counters, in different orders. Nothing of that write was stored, so
 * the chat decides it again. A trigger raises the error for the next insert into `messages`, as
 * PostgreSQL would (a sequence counts, as it is not rolled back with the failed transaction).
 */

describe.skipIf(testStore !== 'postgres')('a write that loses a deadlock (PostgreSQL)', () => {
  it('is decided again: the conversation starts, the turn is answered, each stored once', async () => {
    const app = await buildTestServer();
    await rawSql(app, 'CREATE SEQUENCE fake_deadlocks MINVALUE 0 START 0');
    await rawSql(
      app,
      `CREATE FUNCTION fake_deadlock() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF nextval('fake_deadlocks') = 1 THEN RAISE EXCEPTION 'deadlock detected (test)' USING ERRCODE = '40P01'; END IF;
         RETURN NEW;
       END $$`,
    );
    await rawSql(app, 'CREATE TRIGGER fake_deadlock BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION fake_deadlock()');
    const arm = () => rawSql(app, "SELECT setval('fake_deadlocks', 0)");
    const count = async (sql: string, ...params: unknown[]) => Number((await rawSql<{ n: number }>(app, sql, ...params))[0]!.n);

    await arm();
    const { conversation, messages } = await app.chat.start(app.companies.defaultCompany());
    expect(messages.map((m) => m.role)).toEqual(['bot']);
    expect(await count('SELECT count(*) AS n FROM conversations')).toBe(1);
    expect(await count('SELECT count(*) AS n FROM messages WHERE conversation_id = $1', conversation.id)).toBe(1);

    await arm();
    const live = (await app.conversations.get(conversation.id))!;
    const turn = await app.chat.handleInput(live, { kind: 'action', value: 'yes' }, { clientId: 'after-deadlock' });
    expect(turn.replies.some((m) => m.role === 'bot')).toBe(true);
    expect(await count("SELECT count(*) AS n FROM messages WHERE client_id = 'after-deadlock'")).toBe(1);
    const seqs = await rawSql<{ seq: number }>(app, 'SELECT seq FROM messages WHERE conversation_id = $1 ORDER BY seq', conversation.id);
    expect(seqs.map((r) => Number(r.seq))).toEqual(seqs.map((_, i) => i + 1));
  });
});
