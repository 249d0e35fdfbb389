import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { LiveConversation } from '../../src/conversations/conversations.js';
import { InsightsRecorder } from '../../src/insights/index.js';
import { addAgent, addCompany, call, startAgentServer } from '../agent-helper.js';
import { perform, type WriteEffect } from '../../src/db/step.js';

const SEC = 1000;
const MIN = 60 * SEC;

/** What happened to one fixture conversation, at hand-picked times. */
interface Story {
  id: string;
  at: string;
  path?: string[];
  ended?: boolean;
  handoffAfter?: number;
  reply?: { by: string; after: number };
  resolve?: { by: string; after: number };
  rating?: { score: number; comment?: string };
}

/**
 * Stores fixture conversations through the same recorder the chat uses, with chosen times: their
 * rows, flow steps, hand-offs, first replies, resolutions and ratings.
 */
async function tell(app: FastifyInstance, companyId: string, flowId: string, stories: Story[]) {
  const recorder = new InsightsRecorder(app.database);
  const run = (work: WriteEffect) => app.writes.run(() => perform(work));
  for (const story of stories) {
    const created = Date.parse(story.at);
    await app.db
      .insertInto('conversations')
      .values({ id: story.id, company_id: companyId, session_hash: `hash-${story.id}`, flow_id: flowId, created_at: story.at, updated_at: story.at })
      .execute();
    const live = { id: story.id, companyId, flowId, createdAt: story.at, status: 'agent' } as LiveConversation;
    await run(recorder.started(live, story.path ?? ['welcome'], story.ended === true));
    if (story.handoffAfter !== undefined) await run(recorder.handedOff(story.id, created + story.handoffAfter));
    if (story.reply) {
      await run(recorder.recorded(live, [{ role: 'agent', components: [], authorId: story.reply.by }], created + story.handoffAfter! + story.reply.after));
    }
    if (story.resolve) await run(recorder.resolved(story.id, story.resolve.by, created + story.handoffAfter! + story.resolve.after));
    if (story.rating) await app.csat.rate(live, story.rating.score, story.rating.comment);
  }
}

const LEAD_PATH = ['welcome', 'name', 'email', 'phone', 'lead', 'welcome_new'];

describe('reports against hand-checked fixtures', () => {
  it('counts every figure by the days of the time zone, across the end of summer time, for the company of the admin only', async () => {
    const { app, http } = await startAgentServer();
    const acme = await addCompany(app, http, 'Acme');
    const globex = await addCompany(app, http, 'Globex');
    const ann = await addAgent(app, http, acme.company.id, 'Ann');
    const ben = await addAgent(app, http, acme.company.id, 'Ben');
    const flowId = app.flows.active(acme.company.id)!.id;
    const A = ann.user.id;
    const B = ben.user.id;

    // Europe/Paris: summer time (UTC+2) ends on Sunday 2026-10-25 at 01:00 UTC; then UTC+1.
    // Paris days: 10-24 starts 10-23T22:00Z, 10-25 starts 10-24T22:00Z, 10-26 starts 10-25T23:00Z, the period ends 10-26T23:00Z.
    await tell(app, acme.company.id, flowId, [
      { id: 'c1', at: '2026-10-23T21:59:59.999Z', path: LEAD_PATH, ended: true }, // Fri 23:59 in Paris: before the period
      { id: 'c2', at: '2026-10-23T22:00:00.000Z', path: LEAD_PATH, ended: true }, // Sat 00:00: bot only
      // Sat 23:30: handed off, Ann answers in 30 s and resolves in 10 min; rated 5.
      { id: 'c3', at: '2026-10-24T21:30:00.000Z', handoffAfter: MIN, reply: { by: A, after: 30 * SEC }, resolve: { by: A, after: 10 * MIN }, rating: { score: 5, comment: 'Great' } },
      { id: 'c4', at: '2026-10-24T22:15:00.000Z' }, // Sun 00:15 (summer time): abandoned at the welcome
      // Sun 02:30 (winter time, after the change): handed off, Ben answers in 90 s, never resolved; rated 2.
      { id: 'c5', at: '2026-10-25T01:30:00.000Z', handoffAfter: 5 * SEC, reply: { by: B, after: 90 * SEC }, rating: { score: 2 } },
      // Mon 00:00: Ann answers in 10 s, Ben resolves in 2 min; rated 4.
      { id: 'c6', at: '2026-10-25T23:00:00.000Z', handoffAfter: 0, reply: { by: A, after: 10 * SEC }, resolve: { by: B, after: 2 * MIN }, rating: { score: 4, comment: 'OK' } },
      { id: 'c7', at: '2026-10-26T22:59:59.999Z', path: LEAD_PATH, ended: true }, // Mon 23:59: bot only
      { id: 'c8', at: '2026-10-26T23:00:00.000Z' }, // Tue 00:00 in Paris: after the period
    ]);
    // Another company's conversation in the middle of the period, handed off, answered and rated.
    const globexFlow = app.flows.active(globex.company.id)!.id;
    const globexAgent = await addAgent(app, http, globex.company.id, 'Gus');
    await tell(app, globex.company.id, globexFlow, [
      { id: 'g1', at: '2026-10-25T10:00:00.000Z', handoffAfter: 0, reply: { by: globexAgent.user.id, after: SEC }, resolve: { by: globexAgent.user.id, after: SEC }, rating: { score: 1, comment: 'Globex secret' } },
    ]);

    const paris = 'from=2026-10-24&to=2026-10-26&tz=Europe/Paris';
    const get = async (path: string, token = acme.token) => {
      const answer = await call(http, 'GET', `/api/reports/${path}`, { token });
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    };

    expect(await get(`overview?${paris}`)).toEqual({
      conversations: 6,
      bot_only: 2,
      handed_off: 3,
      resolved: 2,
      abandoned: 1,
      // First responses 10 s, 30 s, 90 s; resolutions 2 min (c6: from its hand-off), 10 min (c3).
      first_response_ms: { median: 30_000, p90: 90_000 },
      resolution_ms: { median: 120_000, p90: 600_000 },
      csat: { average: 3.67, count: 3 },
    });

    expect(await get(`daily?${paris}`)).toEqual({
      days: [
        { day: '2026-10-24', conversations: 2, bot_only: 1, handed_off: 1, resolved: 1, abandoned: 0 },
        { day: '2026-10-25', conversations: 2, bot_only: 0, handed_off: 1, resolved: 0, abandoned: 1 },
        { day: '2026-10-26', conversations: 2, bot_only: 1, handed_off: 1, resolved: 1, abandoned: 0 },
      ],
    });

    // The same days in UTC hold other conversations: c3..c8.
    expect(await get('daily?from=2026-10-24&to=2026-10-26&tz=UTC')).toEqual({
      days: [
        { day: '2026-10-24', conversations: 2, bot_only: 0, handed_off: 1, resolved: 1, abandoned: 1 },
        { day: '2026-10-25', conversations: 2, bot_only: 0, handed_off: 2, resolved: 1, abandoned: 0 },
        { day: '2026-10-26', conversations: 2, bot_only: 1, handed_off: 0, resolved: 0, abandoned: 1 },
      ],
    });
    // A zone far east: Kathmandu is UTC+5:45, so its 10-26 runs from 10-25T18:15Z to 10-26T18:15Z (c6 only).
    expect((await get('daily?from=2026-10-26&to=2026-10-26&tz=Asia/Kathmandu')).days).toEqual([
      { day: '2026-10-26', conversations: 1, bot_only: 0, handed_off: 1, resolved: 1, abandoned: 0 },
    ]);

    expect(await get(`response-times?${paris}`)).toEqual({
      first_response_ms: { median: 30_000, p90: 90_000 },
      resolution_ms: { median: 120_000, p90: 600_000 },
      agents: [
        { agent_id: A, name: 'Ann', first_responses: 2, first_response_ms: { median: 10_000, p90: 30_000 }, resolutions: 1, resolution_ms: { median: 600_000, p90: 600_000 } },
        { agent_id: B, name: 'Ben', first_responses: 1, first_response_ms: { median: 90_000, p90: 90_000 }, resolutions: 1, resolution_ms: { median: 120_000, p90: 120_000 } },
      ],
    });

    const csat = await get(`csat?${paris}`);
    expect(csat).toMatchObject({ average: 3.67, count: 3, distribution: [0, 1, 0, 1, 1] });
    expect(csat.comments.map((c: { conversation_id: string; score: number; comment: string }) => [c.conversation_id, c.score, c.comment])).toEqual([
      ['c6', 4, 'OK'],
      ['c3', 5, 'Great'],
    ]);

    // Weekday (Monday 0) x local hour.
    const { cells } = await get(`hours?${paris}`);
    const filled = cells.flatMap((row: number[], weekday: number) => row.flatMap((n, hour) => (n ? [[weekday, hour, n]] : [])));
    expect(filled).toEqual([
      [0, 0, 1], // c6 Mon 00:00
      [0, 23, 1], // c7 Mon 23:59
      [5, 0, 1], // c2 Sat 00:00
      [5, 23, 1], // c3 Sat 23:30
      [6, 0, 1], // c4 Sun 00:15
      [6, 2, 1], // c5 Sun 02:30
    ]);

    const funnel = await get(`funnel?${paris}`);
    expect(funnel.flow).toEqual({ id: flowId, name: app.flows.active(acme.company.id)!.flow.name });
    expect(funnel.conversations).toBe(6);
    const steps = Object.fromEntries(funnel.steps.map((s: { step: string; reached: number; stopped: number }) => [s.step, [s.reached, s.stopped]]));
    expect(steps).toMatchObject({ welcome: [6, 4], name: [2, 0], email: [2, 0], phone: [2, 0], lead: [2, 0], welcome_new: [2, 2], account: [0, 0] });
    expect(funnel.steps[0].step).toBe('welcome');

    // Globex's admin sees only Globex.
    expect(await get(`overview?${paris}`, globex.token)).toEqual({
      conversations: 1,
      bot_only: 0,
      handed_off: 1,
      resolved: 1,
      abandoned: 0,
      first_response_ms: { median: 1000, p90: 1000 },
      resolution_ms: { median: 1000, p90: 1000 },
      csat: { average: 1, count: 1 },
    });
    expect((await get(`csat?${paris}`, globex.token)).comments.map((c: { comment: string }) => c.comment)).toEqual(['Globex secret']);
    expect((await get(`response-times?${paris}`)).agents.map((a: { name: string }) => a.name)).not.toContain('Gus');
  });

  it('refuses bad periods and zones, and answers only admins', async () => {
    const { app, http } = await startAgentServer();
    const acme = await addCompany(app, http, 'Acme');
    const ann = await addAgent(app, http, acme.company.id, 'Ann');
    const bad = ['from=2026-02-30&to=2026-03-01', 'from=2026-03-02&to=2026-03-01', 'from=2025-01-01&to=2026-03-01', 'from=2026-03-01&to=2026-03-01&tz=Mars/Olympus', 'from=2026-03-01'];
    for (const query of bad) {
      const answer = await call(http, 'GET', `/api/reports/overview?${query}`, { token: acme.token });
      expect(answer.status, query).toBe(400);
      expect(answer.body.error.code ?? answer.body.code).toBeDefined();
    }
    expect((await call(http, 'GET', '/api/reports/daily?from=2026-03-01&to=2026-03-01', { token: ann.token })).status).toBe(403);
    expect((await call(http, 'GET', '/api/reports/daily?from=2026-03-01&to=2026-03-01')).status).toBe(401);
  });
});
