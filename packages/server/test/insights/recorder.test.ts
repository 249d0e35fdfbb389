import { describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { LiveConversation } from '../../src/conversations/conversations.js';
import { InsightsRecorder } from '../../src/insights/index.js';
import { SummedCounts } from '../../src/insights/summed-counts.js';
import { buildTestServer, rawSql } from '../helper.js';
import { perform } from '../../src/db/step.js';

/** Per step: how many conversations reached it and how many stand at it (quarter-hour rows). */
async function funnel(app: FastifyInstance): Promise<Record<string, [number, number]>> {
  const rows = await rawSql<{ step: string; reached: number; stopped: number }>(
    app,
    "SELECT step, sum(reached) AS reached, sum(stopped) AS stopped FROM funnel_counts WHERE bucket >= 0 AND step <> '' GROUP BY step",
  );
  return Object.fromEntries(rows.map((r) => [r.step, [Number(r.reached), Number(r.stopped)]]));
}

/** A conversation row and its live copy, for a recorder to record. */
async function conversation(app: FastifyInstance, id: string): Promise<LiveConversation> {
  const company = app.companies.defaultCompany();
  const flowId = app.flows.active(company.id)!.id;
  const at = new Date().toISOString();
  await app.db
    .insertInto('conversations')
    .values({ id, company_id: company.id, session_hash: `hash-${id}`, flow_id: flowId, created_at: at, updated_at: at })
    .execute();
  return { id, companyId: company.id, flowId, createdAt: at, status: 'bot' } as LiveConversation;
}

describe('the funnel kept in the chat writes', () => {
  it('stays exact when turns repeat a loop, share a batch, or roll back', async () => {
    const app = await buildTestServer();
    const company = app.companies.defaultCompany();
    const flowId = app.flows.active(company.id)!.id;
    const at = new Date().toISOString();
    await app.db
      .insertInto('conversations')
      .values({ id: 'c1', company_id: company.id, session_hash: 'hash-c1', flow_id: flowId, created_at: at, updated_at: at })
      .execute();
    const live = { id: 'c1', companyId: company.id, flowId, createdAt: at, status: 'bot' } as LiveConversation;
    const recorder = new InsightsRecorder(app.database, app.writes);
    const turn = (path: string[]) => app.writes.run(() => recorder.turn(live, path, false));

    await app.writes.run(() => recorder.started(live, ['welcome'], false));
    await turn(['menu']);
    await turn(['menu']); // a loop that stays where it stood: nothing to move
    expect(await funnel(app)).toEqual({ welcome: [1, 0], menu: [1, 1] });

    // A turn whose write rolls back is not remembered: the same turn again is recorded.
    const failed = app.writes.run(function* () {
      yield* perform(recorder.turn(live, ['welcome'], false));
      throw new Error('the rest of the turn failed');
    });
    await expect(failed).rejects.toThrow('the rest of the turn failed');
    expect(await funnel(app)).toEqual({ welcome: [1, 0], menu: [1, 1] });
    await turn(['welcome']);
    expect(await funnel(app)).toEqual({ welcome: [1, 1], menu: [1, 0] });

    // Turns of one batch: each sees what the one before it wrote, not what memory held before.
    await Promise.all([turn(['menu']), turn(['welcome']), turn(['menu', 'products'])]);
    expect(await funnel(app)).toEqual({ welcome: [1, 0], menu: [1, 0], products: [1, 1] });
    await turn(['menu', 'products']);
    await turn(['welcome']);
    expect(await funnel(app)).toEqual({ welcome: [1, 1], menu: [1, 0], products: [1, 0] });
  });

  it('goes on exactly from the facts row when it remembers nothing of a conversation (after a restart)', async () => {
    const app = await buildTestServer();
    const live = await conversation(app, 'c1');
    const before = new InsightsRecorder(app.database, app.writes);
    await app.writes.run(() => before.started(live, ['welcome'], false));
    await app.writes.run(() => before.turn(live, ['menu'], false));
    expect(await rawSql(app, "SELECT steps, last_step FROM conversation_facts WHERE conversation_id = 'c1'")).toEqual([
      { steps: '["welcome","menu"]', last_step: 'menu' },
    ]);

    const after = new InsightsRecorder(app.database, app.writes);
    // Steps it reached before count once; where it stood is moved from the stored last step.
    await app.writes.run(() => after.turn(live, ['welcome'], false));
    expect(await funnel(app)).toEqual({ welcome: [1, 1], menu: [1, 0] });
    await app.writes.run(() => after.turn(live, ['menu', 'products'], false));
    expect(await funnel(app)).toEqual({ welcome: [1, 0], menu: [1, 0], products: [1, 1] });
  });

  it('records a conversation it remembers from memory, without reading its facts', async () => {
    const app = await buildTestServer();
    const live = await conversation(app, 'c1');
    const recorder = new InsightsRecorder(app.database, app.writes);
    await app.writes.run(() => recorder.started(live, ['welcome'], false));
    // Facts it would read now are not what committed: a turn that read them would count
    // 'welcome' reached twice and move nothing from it.
    await rawSql(app, "UPDATE conversation_facts SET steps = '[]', last_step = NULL WHERE conversation_id = 'c1'");
    await app.writes.run(() => recorder.turn(live, ['welcome', 'menu'], false));
    expect(await funnel(app)).toEqual({ welcome: [1, 0], menu: [1, 1] });
    expect(await rawSql(app, "SELECT steps, last_step FROM conversation_facts WHERE conversation_id = 'c1'")).toEqual([
      { steps: '["welcome","menu"]', last_step: 'menu' },
    ]);
  });
  it('sums the counts of a whole batch into one statement per table, one row per step and bucket', async () => {
    const app = await buildTestServer();
    const lives = await Promise.all([...Array(30).keys()].map((i) => conversation(app, `c${i}`)));
    const recorder = new InsightsRecorder(app.database, app.writes);
    const stored = vi.spyOn(SummedCounts.prototype, 'store');
    const commits = app.writes.commits;
    await Promise.all(lives.map((live) => app.writes.run(() => recorder.started(live, ['welcome'], false))));
    await Promise.all(lives.map((live, i) => app.writes.run(() => recorder.turn(live, i % 3 ? ['menu'] : ['menu', 'products'], false))));
    expect(app.writes.commits - commits).toBe(2);
    // One upsert per table and batch: the funnel and the outcome counts, then the funnel.
    expect(stored).toHaveBeenCalledTimes(3);
    expect(await funnel(app)).toEqual({ welcome: [30, 0], menu: [30, 20], products: [10, 10] });
    // The day rows say the same.
    const days = await rawSql<{ step: string; reached: number; stopped: number }>(app, 'SELECT step, sum(reached) AS reached, sum(stopped) AS stopped FROM funnel_counts WHERE bucket < 0 GROUP BY step ORDER BY step');
    expect(days.map((r) => [r.step, Number(r.reached), Number(r.stopped)])).toEqual([
      ['', 30, 0],
      ['menu', 30, 20],
      ['products', 10, 10],
      ['welcome', 30, 0],
    ]);
  });
});
