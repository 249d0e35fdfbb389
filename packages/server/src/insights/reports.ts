import { sql } from 'kysely';
import type {
  AgentTimes,
  CsatReport,
  DailyReport,
  DurationStats,
  Flow,
  FunnelReport,
  HoursReport,
  OverviewReport,
  RatingScale,
  ResponseTimesReport,
} from '@parley/protocol';
import type { DatabaseHandle } from '../db/handle.js';
import { param, prepareQuery, type ParamRefs } from '../db/prepared.js';
import { successors } from '../flows/load.js';
import { BUCKET_MS, QUARTERS_PER_DAY, dayRow } from './recorder.js';
import { dayIndex, type Period } from './period.js';

/** How many comments the CSAT report lists (the newest first). */
export const MAX_COMMENTS = 100;

/**
 * The `p`-th percentile (0 < p <= 1) of ascending values by the nearest-rank method: the smallest
 * value with at least p of all values at or below it. Null for no values.
 *
 * @example percentile([10, 20, 30, 40], 0.5) // 20
 */
export function percentile(sorted: number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]!;
}

/** Sorts numbers ascending in place (a typed sort: much faster than a comparator on large lists). */
function sortNumbers(values: number[]): number[] {
  const typed = Float64Array.from(values).sort();
  for (let i = 0; i < typed.length; i++) values[i] = typed[i]!;
  return values;
}

/** The integers of a comma-separated list (`group_concat`); none for null. */
function numbers(list: string | null | undefined): number[] {
  return list ? list.split(',').map(Number) : [];
}

function stats(sorted: number[]): DurationStats {
  return { median: percentile(sorted, 0.5), p90: percentile(sorted, 0.9) };
}

function average(sum: number, count: number): number | null {
  return count ? Math.round((sum / count) * 100) / 100 : null;
}

interface OutcomeRow {
  conversations: number;
  bot_only: number;
  handed_off: number;
  resolved: number;
}

/** A period as quarter-hour buckets of the rollups: `[from, to)`. */

function outcomes(row: OutcomeRow) {
  const { conversations, bot_only, handed_off, resolved } = row;
  return { conversations, bot_only, handed_off, resolved, abandoned: conversations - bot_only - handed_off };
}

/**
 * The reports' SQL. Counts, funnel stops included, come from the rollups by quarter hour
 * (`insight_counts`, `funnel_counts`); durations from partial indexes that cover exactly what they
 * read; never from the messages. Grouping is by UTC quarter hour in SQL and by local day or hour
 * here, so any time zone (every zone's offset is a whole number of quarter hours) costs the same.
 */
export class ReportStore {
  private readonly statements;

  constructor(database: DatabaseHandle) {
    const { db } = database;
    // A period in rollup buckets (quarter hours) or in epoch milliseconds.
    const range = { company: param<string>(), from: param<number>(), to: param<number>() };
    const counts = (p: ParamRefs<typeof range>) =>
      db.selectFrom('insight_counts').where('company_id', '=', p.company).where('bucket', '>=', p.from).where('bucket', '<', p.to);
    // Durations come as one comma-separated list (per agent): much cheaper than a row per value.
    const facts = (p: ParamRefs<typeof range>, column: 'first_response_ms' | 'resolution_ms') =>
      db
        .selectFrom('conversation_facts')
        .where('company_id', '=', p.company)
        .where('created_ms', '>=', p.from)
        .where('created_ms', '<', p.to)
        .where(column, 'is not', null);
    // The list's aggregate is the one thing the two databases spell differently.
    const list = (column: 'first_response_ms' | 'resolution_ms') =>
      (database.dialect === 'sqlite' ? sql<string | null>`group_concat(${sql.ref(column)})` : sql<string | null>`string_agg(${sql.ref(column)}::text, ',')`).as('list');
    const durations = (column: 'first_response_ms' | 'resolution_ms') => prepareQuery(database, range, (p) => facts(p, column).select(list(column)));
    const byAgent = (column: 'first_response_ms' | 'resolution_ms', agent: 'first_agent_id' | 'resolved_by') =>
      prepareQuery(database, range, (p) =>
        facts(p, column)
          // A duration is recorded with the agent it belongs to, so the agent is never null here.
          .select((eb) => [eb.ref(agent).$castTo<string>().as('agent'), list(column)])
          .groupBy(agent),
      );
    this.statements = {
      overview: prepareQuery(database, range, (p) =>
        counts(p).select((eb) => [
          eb.fn.sum<number | null>('conversations').as('conversations'),
          eb.fn.sum<number | null>('bot_only').as('bot_only'),
          eb.fn.sum<number | null>('handed_off').as('handed_off'),
          eb.fn.sum<number | null>('resolved').as('resolved'),
          eb.fn.sum<number | null>('rating_sum').as('rating_sum'),
          eb.fn.sum<number | null>(eb('r1', '+', eb('r2', '+', eb('r3', '+', eb('r4', '+', eb.ref('r5')))))).as('rated'),
        ]),
      ),
      byQuarter: prepareQuery(database, range, (p) => counts(p).select(['bucket', 'conversations', 'bot_only', 'handed_off', 'resolved'])),
      firstResponses: durations('first_response_ms'),
      resolutions: durations('resolution_ms'),
      firstResponsesByAgent: byAgent('first_response_ms', 'first_agent_id'),
      resolutionsByAgent: byAgent('resolution_ms', 'resolved_by'),
      agentNames: prepareQuery(database, { company: param<string>() }, (p) => db.selectFrom('users').select(['id', 'name']).where('company_id', '=', p.company)),
      ratings: prepareQuery(database, range, (p) =>
        counts(p).select((eb) => [
          eb.fn.sum<number | null>('r1').as('r1'),
          eb.fn.sum<number | null>('r2').as('r2'),
          eb.fn.sum<number | null>('r3').as('r3'),
          eb.fn.sum<number | null>('r4').as('r4'),
          eb.fn.sum<number | null>('r5').as('r5'),
        ]),
      ),
      comments: prepareQuery(database, { ...range, limit: param<number>() }, (p) =>
        db
          .selectFrom('conversation_ratings')
          .select(['conversation_id', 'score', 'scale', 'comment', 'created_at'])
          .where('company_id', '=', p.company)
          .where('conversation_created_ms', '>=', p.from)
          .where('conversation_created_ms', '<', p.to)
          .where('comment', 'is not', null)
          .orderBy('conversation_created_ms', 'desc')
          .limit(p.limit),
      ),
      funnel: prepareQuery(database, { ...range, flow: param<string>() }, (p) =>
        db
          .selectFrom('funnel_counts')
          .select((eb) => ['step', eb.fn.sum<number>('reached').as('reached'), eb.fn.sum<number>('stopped').as('stopped')])
          .where('company_id', '=', p.company)
          .where('flow_id', '=', p.flow)
          .where('bucket', '>=', p.from)
          .where('bucket', '<', p.to)
          .groupBy('step'),
      ),
    };
  }

  /** The period's totals. */
  async overview(companyId: string, period: Period): Promise<OverviewReport> {
    const args = { company: companyId, from: period.from, to: period.to };
    const [counted, firstResponses, resolutions] = await Promise.all([
      this.statements.overview.get(this.buckets(companyId, period)),
      this.statements.firstResponses.get(args),
      this.statements.resolutions.get(args),
    ]);
    const row = counted!;
    return {
      ...outcomes({ conversations: row.conversations ?? 0, bot_only: row.bot_only ?? 0, handed_off: row.handed_off ?? 0, resolved: row.resolved ?? 0 }),
      first_response_ms: stats(sortNumbers(numbers(firstResponses?.list))),
      resolution_ms: stats(sortNumbers(numbers(resolutions?.list))),
      csat: { average: average(row.rating_sum ?? 0, row.rated ?? 0), count: row.rated ?? 0 },
    };
  }

  /** Outcomes per local day, every day of the period included. */
  async daily(companyId: string, period: Period): Promise<DailyReport> {
    const days = period.days.map((day) => ({ day, conversations: 0, bot_only: 0, handed_off: 0, resolved: 0 }));
    for (const row of await this.statements.byQuarter.all(this.buckets(companyId, period))) {
      const day = days[dayIndex(period, row.bucket * BUCKET_MS)];
      if (!day) continue;
      day.conversations += row.conversations;
      day.bot_only += row.bot_only;
      day.handed_off += row.handed_off;
      day.resolved += row.resolved;
    }
    return { days: days.map((d) => ({ day: d.day, ...outcomes(d) })) };
  }

  /** The period as rollup buckets. */
  private buckets(companyId: string, period: Period): { company: string; from: number; to: number } {
    return { company: companyId, from: Math.floor(period.from / BUCKET_MS), to: Math.ceil(period.to / BUCKET_MS) };
  }

  /** First response and resolution times, overall and per agent (agents by name). */
  async responseTimes(companyId: string, period: Period): Promise<ResponseTimesReport> {
    const args = { company: companyId, from: period.from, to: period.to };
    const [users, firstByAgent, resolutionsByAgent] = await Promise.all([
      this.statements.agentNames.all({ company: companyId }),
      this.statements.firstResponsesByAgent.all(args),
      this.statements.resolutionsByAgent.all(args),
    ]);
    const names = new Map(users.map((u) => [u.id, u.name]));
    const agents = new Map<string, { first: number[]; resolution: number[] }>();
    const of = (id: string) => {
      let agent = agents.get(id);
      if (!agent) agents.set(id, (agent = { first: [], resolution: [] }));
      return agent;
    };
    let first: number[] = [];
    let resolution: number[] = [];
    for (const { agent, list } of firstByAgent) {
      of(agent).first = numbers(list);
      first = first.concat(of(agent).first);
    }
    for (const { agent, list } of resolutionsByAgent) {
      of(agent).resolution = numbers(list);
      resolution = resolution.concat(of(agent).resolution);
    }
    sortNumbers(first);
    sortNumbers(resolution);
    for (const agent of agents.values()) {
      sortNumbers(agent.first);
      sortNumbers(agent.resolution);
    }
    const list: AgentTimes[] = [...agents].map(([id, a]) => ({
      agent_id: id,
      name: names.get(id) ?? 'Former agent',
      first_responses: a.first.length,
      first_response_ms: stats(a.first),
      resolutions: a.resolution.length,
      resolution_ms: stats(a.resolution),
    }));
    list.sort((a, b) => a.name.localeCompare(b.name) || a.agent_id.localeCompare(b.agent_id));
    return { first_response_ms: stats(first), resolution_ms: stats(resolution), agents: list };
  }

  /** CSAT: the average, how many of each score, and the newest comments. */
  async csat(companyId: string, period: Period): Promise<CsatReport> {
    const row = (await this.statements.ratings.get(this.buckets(companyId, period)))!;
    const distribution = [row.r1 ?? 0, row.r2 ?? 0, row.r3 ?? 0, row.r4 ?? 0, row.r5 ?? 0];
    const count = distribution.reduce((a, b) => a + b, 0);
    const sum = distribution.reduce((a, n, i) => a + n * (i + 1), 0);
    const comments = (await this.statements.comments.all({ company: companyId, from: period.from, to: period.to, limit: MAX_COMMENTS })).map((c) => ({ ...c, comment: c.comment! }));
    return { average: average(sum, count), count, distribution, comments };
  }

  /** Conversations started per local weekday (Monday first) and hour. */
  async hours(companyId: string, period: Period): Promise<HoursReport> {
    const cells = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    for (const row of await this.statements.byQuarter.all(this.buckets(companyId, period))) {
      const utc = row.bucket * BUCKET_MS;
      const local = utc + period.offsetAt(utc);
      const weekday = (Math.floor(local / 86_400_000) + 3) % 7; // 1970-01-01 was a Thursday.
      const hour = Math.floor(local / 3_600_000) % 24;
      cells[weekday]![hour]! += row.conversations;
    }
    return { cells };
  }

  /**
   * The published flow's funnel: its steps in the order a walk from `start` first meets them, how
   * many of the period's conversations reached each, and how many stand last at it.
   */
  async funnel(companyId: string, period: Period, flow: { id: string; flow: Flow } | undefined): Promise<FunnelReport> {
    if (!flow) return { flow: null, conversations: 0, steps: [] };
    const reached = new Map<string, number>();
    const stopped = new Map<string, number>();
    let conversations = 0;
    const { from: fromBucket, to: toBucket } = this.buckets(companyId, period);
    // Whole UTC days from day rows, the ends from quarter-hour rows.
    const firstDay = Math.ceil(fromBucket / QUARTERS_PER_DAY);
    const endDay = Math.floor(toBucket / QUARTERS_PER_DAY);
    const ranges: Array<[number, number]> =
      firstDay < endDay
        ? [
            [fromBucket, firstDay * QUARTERS_PER_DAY],
            [dayRow(endDay - 1), dayRow(firstDay - 1)],
            [endDay * QUARTERS_PER_DAY, toBucket],
          ]
        : [[fromBucket, toBucket]];
    for (const [from, to] of ranges) {
      if (from >= to) continue;
      for (const row of await this.statements.funnel.all({ company: companyId, flow: flow.id, from, to })) {
        // The row of step '' counts the flow's conversations.
        if (row.step === '') conversations += row.reached;
        else {
          reached.set(row.step, (reached.get(row.step) ?? 0) + row.reached);
          stopped.set(row.step, (stopped.get(row.step) ?? 0) + row.stopped);
        }
      }
    }
    const order: string[] = [];
    const seen = new Set<string>();
    const queue = [flow.flow.start];
    while (queue.length) {
      const id = queue.shift()!;
      const step = flow.flow.steps[id];
      if (seen.has(id) || !step) continue;
      seen.add(id);
      order.push(id);
      queue.push(...successors(step));
    }
    for (const id of Object.keys(flow.flow.steps)) if (!seen.has(id)) order.push(id);
    return {
      flow: { id: flow.id, name: flow.flow.name },
      conversations,
      steps: order.map((id) => ({ step: id, type: flow.flow.steps[id]!.type, reached: reached.get(id) ?? 0, stopped: stopped.get(id) ?? 0 })),
    };
  }
}
