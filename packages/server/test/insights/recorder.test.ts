import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { LiveConversation } from '../../src/conversations/conversations.js';
import { InsightsRecorder } from '../../src/insights/index.js';
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
});
