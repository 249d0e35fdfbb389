import { describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { ConversationChanges, LiveConversation } from '../../src/conversations/conversations.js';
import { initialState } from '../../src/flows/index.js';
import { InsightsRecorder } from '../../src/insights/index.js';
import { BatchFacts } from '../../src/insights/batch-facts.js';
import { SummedCounts } from '../../src/insights/summed-counts.js';
import { buildTestServer, rawSql } from '../helper.js';
import { perform, type WriteEffect } from '../../src/db/step.js';

/** Per step: how many conversations reached it and how many stand at it (quarter-hour rows). */
async function funnel(app: FastifyInstance): Promise<Record<string, [number, number]>> {
  const rows = await rawSql<{ step: string; reached: number; stopped: number }>(
    app,
    "SELECT step, sum(reached) AS reached, sum(stopped) AS stopped FROM funnel_counts WHERE bucket >= 0 AND step <> '' GROUP BY step",
  );
  return Object.fromEntries(rows.map((r) => [r.step, [Number(r.reached), Number(r.stopped)]]));
}

/** Starts a conversation whose greeting ran `path`, as the chat does: its first state carries the funnel's memory. */
async function start(app: FastifyInstance, recorder: InsightsRecorder, path: string[]): Promise<LiveConversation> {
  const company = app.companies.defaultCompany();
  const state = initialState();
  recorder.beginFunnel(state, path);
  const created = app.conversations.create({ companyId: company.id, flowId: app.flows.active(company.id)!.id }, state, false, [], () =>
    recorder.started(created.conversation, path, false),
  );
  await created.committed;
  return created.conversation;
}

/**
 * A visitor turn that ran `path`, stored as the chat stores one: decided on the conversation as it
 * stands, then its state and the rollups in one write. `fail` makes the rest of the write fail.
 */
function turn(app: FastifyInstance, recorder: InsightsRecorder, live: LiveConversation, path: string[], fail = false, ended = false) {
  const changes: ConversationChanges = { flow: { ...live.flow, step: path.at(-1)! }, reached: path, isTerminal: ended };
  const rollups = recorder.turn(live, changes);
  return app.conversations.append(live, [], changes, undefined, () => (fail ? failing(rollups) : rollups));
}

function* failing(rollups: WriteEffect) {
  yield* perform(rollups);
  throw new Error('the rest of the turn failed');
}

/** The funnel's memory as the conversation's row stores it. */
async function storedMemory(app: FastifyInstance, id: string) {
  const [row] = await rawSql<{ flow_state: string }>(app, `SELECT flow_state FROM conversations WHERE id = '${id}'`);
  return (JSON.parse(row!.flow_state) as { funnel?: unknown }).funnel;
}

/** The conversation as a node that never had it in memory reads it (after a restart, or from another node). */
async function reread(app: FastifyInstance, live: LiveConversation): Promise<LiveConversation> {
  app.conversations.forget(live.id);
  return (await app.conversations.get(live.id))!;
}

describe('the funnel kept in the chat writes', () => {
  it('stays exact when turns repeat a loop, share a batch, or roll back', async () => {
    const app = await buildTestServer();
    const recorder = new InsightsRecorder(app.database, app.writes);
    let live = await start(app, recorder, ['welcome']);

    await turn(app, recorder, live, ['menu']);
    await turn(app, recorder, live, ['menu']); // a loop that stays where it stood: nothing to move
    expect(await funnel(app)).toEqual({ welcome: [1, 0], menu: [1, 1] });

    // A turn whose write rolls back counts nothing, and its state is not kept: the same turn again is counted.
    await expect(turn(app, recorder, live, ['welcome'], true)).rejects.toThrow('the rest of the turn failed');
    expect(await funnel(app)).toEqual({ welcome: [1, 0], menu: [1, 1] });
    live = (await app.conversations.get(live.id))!;
    await turn(app, recorder, live, ['welcome']);
    expect(await funnel(app)).toEqual({ welcome: [1, 1], menu: [1, 0] });

    // Turns of one batch: each is decided on the state the one before it left.
    await Promise.all([turn(app, recorder, live, ['menu']), turn(app, recorder, live, ['welcome']), turn(app, recorder, live, ['menu', 'products'])]);
    expect(await funnel(app)).toEqual({ welcome: [1, 0], menu: [1, 0], products: [1, 1] });
    await turn(app, recorder, live, ['menu', 'products']);
    await turn(app, recorder, live, ['welcome']);
    expect(await funnel(app)).toEqual({ welcome: [1, 1], menu: [1, 0], products: [1, 0] });
  });

  it('keeps what it counted in the flow state: a turn writes no statement of its own, and a restart goes on from the row', async () => {
    const app = await buildTestServer();
    const recorder = new InsightsRecorder(app.database, app.writes);
    const live = await start(app, recorder, ['welcome']);
    // Facts it would read now are not what was counted: a turn that read them would count
    // 'welcome' reached twice and move nothing from it.
    await rawSql(app, `UPDATE conversation_facts SET steps = '[]', last_step = NULL WHERE conversation_id = '${live.id}'`);
    await turn(app, recorder, live, ['welcome', 'menu']);
    expect(await funnel(app)).toEqual({ welcome: [1, 0], menu: [1, 1] });
    expect(await storedMemory(app, live.id)).toEqual({ steps: ['welcome', 'menu'], last: 'menu' });
    expect(await rawSql(app, `SELECT steps, last_step FROM conversation_facts WHERE conversation_id = '${live.id}'`)).toEqual([{ steps: '[]', last_step: null }]);

    // A state that does not carry the memory (the flow starts again) keeps the conversation's.
    await app.conversations.append(live, [], { flow: initialState() });
    expect(await storedMemory(app, live.id)).toEqual({ steps: ['welcome', 'menu'], last: 'menu' });

    // Read again from the row, as after a restart: steps it reached count once; where it stood moves.
    const again = await reread(app, live);
    expect(again).not.toBe(live);
    await turn(app, recorder, again, ['welcome']);
    expect(await funnel(app)).toEqual({ welcome: [1, 1], menu: [1, 0] });
    await turn(app, recorder, again, ['menu', 'products']);
    expect(await funnel(app)).toEqual({ welcome: [1, 0], menu: [1, 0], products: [1, 1] });
  });

  it('counts a conversation stored before the memory rode in its state from its facts row, then from its state', async () => {
    const app = await buildTestServer();
    const recorder = new InsightsRecorder(app.database, app.writes);
    const started = await start(app, recorder, ['welcome']);
    // As a conversation of an earlier version stands: its facts row holds the steps, its state nothing.
    await rawSql(app, `UPDATE conversation_facts SET steps = '["welcome"]', last_step = 'welcome' WHERE conversation_id = '${started.id}'`);
    await rawSql(app, `UPDATE conversations SET flow_state = '{}' WHERE id = '${started.id}'`);
    const live = await reread(app, started);
    expect(live.flow.funnel).toBeUndefined();

    await turn(app, recorder, live, ['welcome', 'menu']);
    expect(await funnel(app)).toEqual({ welcome: [1, 0], menu: [1, 1] });
    expect(await rawSql(app, `SELECT steps, last_step FROM conversation_facts WHERE conversation_id = '${live.id}'`)).toEqual([
      { steps: '["welcome","menu"]', last_step: 'menu' },
    ]);
    // Learnt once that write committed: the next turn is counted from the state, and stores it.
    expect(live.flow.funnel).toEqual({ steps: ['welcome', 'menu'], last: 'menu' });
    await rawSql(app, `UPDATE conversation_facts SET steps = '[]', last_step = NULL WHERE conversation_id = '${live.id}'`);
    await turn(app, recorder, live, ['menu', 'products']);
    expect(await funnel(app)).toEqual({ welcome: [1, 0], menu: [1, 0], products: [1, 1] });
    expect(await storedMemory(app, live.id)).toEqual({ steps: ['welcome', 'menu', 'products'], last: 'products' });
  });

  it("counts the bot's end once, as solved by the bot unless a person was asked for", async () => {
    const app = await buildTestServer();
    const recorder = new InsightsRecorder(app.database, app.writes);
    const outcomes = async () => {
      const [row] = await rawSql<{ conversations: number; bot_only: number; handed_off: number }>(
        app,
        'SELECT sum(conversations) AS conversations, sum(bot_only) AS bot_only, sum(handed_off) AS handed_off FROM insight_counts',
      );
      return [Number(row!.conversations), Number(row!.bot_only), Number(row!.handed_off)];
    };
    const solved = await start(app, recorder, ['welcome']);
    await turn(app, recorder, solved, ['menu', 'bye'], false, true);
    expect(await outcomes()).toEqual([1, 1, 0]);
    // The flow starts again and ends again: still one conversation solved by the bot.
    await turn(app, recorder, solved, ['welcome', 'bye'], false, true);
    expect(await outcomes()).toEqual([1, 1, 0]);
    expect(await rawSql(app, `SELECT bot_ended FROM conversation_facts WHERE conversation_id = '${solved.id}'`)).toEqual([{ bot_ended: 1 }]);

    // Handed to a person first, the bot's end does not make it the bot's.
    const handed = await start(app, recorder, ['welcome']);
    await app.writes.run(() => recorder.handedOff(handed.id, Date.now()));
    await turn(app, recorder, handed, ['menu', 'bye'], false, true);
    expect(await outcomes()).toEqual([2, 1, 1]);
    expect(await funnel(app)).toEqual({ welcome: [2, 0], menu: [2, 0], bye: [2, 2] });
  });

  it('sums the counts of a whole batch into one statement per table, one row per step and bucket', async () => {
    const app = await buildTestServer();
    const recorder = new InsightsRecorder(app.database, app.writes);
    const stored = vi.spyOn(SummedCounts.prototype, 'store');
    const inserted = vi.spyOn(BatchFacts.prototype, 'insert');
    const ended = vi.spyOn(BatchFacts.prototype, 'end');
    const commits = app.writes.commits;
    const lives = await Promise.all([...Array(30).keys()].map(() => start(app, recorder, ['welcome'])));
    // The batch's thirty facts rows in one statement.
    expect(app.writes.commits - commits).toBe(1);
    expect(inserted).toHaveBeenCalledTimes(1);
    expect(inserted.mock.calls[0]![0]).toHaveLength(30);
    await Promise.all(lives.map((live, i) => turn(app, recorder, live, i % 3 ? ['menu'] : ['menu', 'products'])));
    expect(app.writes.commits - commits).toBe(2);
    // One upsert per table and batch: the funnel and the outcome counts, then the funnel.
    expect(stored).toHaveBeenCalledTimes(3);
    expect(ended).not.toHaveBeenCalled();
    expect(await funnel(app)).toEqual({ welcome: [30, 0], menu: [30, 20], products: [10, 10] });
    // The day rows say the same.
    const days = await rawSql<{ step: string; reached: number; stopped: number }>(app, 'SELECT step, sum(reached) AS reached, sum(stopped) AS stopped FROM funnel_counts WHERE bucket < 0 GROUP BY step ORDER BY step');
    expect(days.map((r) => [r.step, Number(r.reached), Number(r.stopped)])).toEqual([
      ['', 30, 0],
      ['menu', 30, 20],
      ['products', 10, 10],
      ['welcome', 30, 0],
    ]);

    // Twenty of them reach the bot's end in one batch (one asked for a person first): one
    // statement marks the ends, and the counts move once each.
    await app.writes.run(() => recorder.handedOff(lives[0]!.id, Date.now()));
    await Promise.all(lives.slice(0, 20).map((live) => turn(app, recorder, live, ['bye'], false, true)));
    expect(ended).toHaveBeenCalledTimes(1);
    expect(ended.mock.calls[0]![0]).toHaveLength(20);
    const [outcomes] = await rawSql<{ conversations: number; bot_only: number; handed_off: number }>(
      app,
      'SELECT sum(conversations) AS conversations, sum(bot_only) AS bot_only, sum(handed_off) AS handed_off FROM insight_counts',
    );
    expect([Number(outcomes!.conversations), Number(outcomes!.bot_only), Number(outcomes!.handed_off)]).toEqual([30, 19, 1]);
    expect(await rawSql(app, 'SELECT count(*) AS n FROM conversation_facts WHERE bot_ended = 1')).toEqual([{ n: 20 }]);
  });
});
