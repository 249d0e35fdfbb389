import type SQLite from 'better-sqlite3';
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
import { successors } from '../flows/load.js';
import { BUCKET_MS } from './recorder.js';
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

/** The outcome sums shared by the overview and the daily report (see docs/insights.md). */
const OUTCOMES = `count(*) AS conversations,
  coalesce(sum(handed_off_ms IS NULL AND bot_ended = 1), 0) AS bot_only,
  coalesce(sum(handed_off_ms IS NOT NULL), 0) AS handed_off,
  coalesce(sum(resolved_by IS NOT NULL), 0) AS resolved`;
const PERIOD = 'company_id = ? AND created_ms >= ? AND created_ms < ?';

function outcomes(row: OutcomeRow) {
  const { conversations, bot_only, handed_off, resolved } = row;
  return { conversations, bot_only, handed_off, resolved, abandoned: conversations - bot_only - handed_off };
}

/**
 * The reports' SQL: every query reads one company's conversation facts of a period through the
 * index on `(company_id, created_ms)`, or the funnel's counts by quarter hour, never the messages.
 * Grouping is by UTC quarter hour in SQL and by local day or hour here, so any time zone (every
 * zone's offset is a whole number of quarter hours) costs the same query.
 */
export class ReportStore {
  private readonly statements;

  constructor(sqlite: SQLite.Database) {
    const durations = (column: string) =>
      sqlite.prepare<[string, number, number], number>(`SELECT ${column} FROM conversation_facts WHERE ${PERIOD} AND ${column} IS NOT NULL ORDER BY ${column}`).pluck();
    this.statements = {
      overview: sqlite.prepare<[string, number, number], OutcomeRow & { rating_sum: number | null; rated: number }>(
        `SELECT ${OUTCOMES}, sum(rating) AS rating_sum, count(rating) AS rated FROM conversation_facts WHERE ${PERIOD}`,
      ),
      byQuarter: sqlite.prepare<[string, number, number], OutcomeRow & { q: number }>(
        `SELECT created_ms / ${BUCKET_MS} AS q, ${OUTCOMES} FROM conversation_facts WHERE ${PERIOD} GROUP BY q`,
      ),
      startsByQuarter: sqlite.prepare<[string, number, number], { q: number; n: number }>(
        `SELECT created_ms / ${BUCKET_MS} AS q, count(*) AS n FROM conversation_facts WHERE ${PERIOD} GROUP BY q`,
      ),
      firstResponses: durations('first_response_ms'),
      resolutions: durations('resolution_ms'),
      firstResponsesByAgent: sqlite.prepare<[string, number, number], { agent: string; ms: number }>(
        `SELECT first_agent_id AS agent, first_response_ms AS ms FROM conversation_facts WHERE ${PERIOD} AND first_response_ms IS NOT NULL ORDER BY ms`,
      ),
      resolutionsByAgent: sqlite.prepare<[string, number, number], { agent: string; ms: number }>(
        `SELECT resolved_by AS agent, resolution_ms AS ms FROM conversation_facts WHERE ${PERIOD} AND resolution_ms IS NOT NULL ORDER BY ms`,
      ),
      agentNames: sqlite.prepare<[string], { id: string; name: string }>('SELECT id, name FROM users WHERE company_id = ?'),
      ratings: sqlite.prepare<[string, number, number], { rating: number; n: number }>(
        `SELECT rating, count(*) AS n FROM conversation_facts WHERE ${PERIOD} AND rating IS NOT NULL GROUP BY rating`,
      ),
      comments: sqlite.prepare<[string, number, number, string, number], CsatReport['comments'][number]>(
        `SELECT r.conversation_id, r.score, r.scale, r.comment, r.created_at
         FROM conversation_facts f JOIN conversation_ratings r ON r.conversation_id = f.conversation_id
         WHERE f.company_id = ? AND f.created_ms >= ? AND f.created_ms < ? AND f.rating IS NOT NULL
           AND r.company_id = ? AND r.comment IS NOT NULL
         ORDER BY r.created_at DESC LIMIT ?`,
      ),
      funnelReached: sqlite.prepare<[string, string, number, number], { step: string; reached: number }>(
        'SELECT step, sum(reached) AS reached FROM funnel_counts WHERE company_id = ? AND flow_id = ? AND bucket >= ? AND bucket < ? GROUP BY step',
      ),
      funnelStopped: sqlite.prepare<[string, number, number, string], { step: string | null; n: number }>(
        `SELECT last_step AS step, count(*) AS n FROM conversation_facts WHERE ${PERIOD} AND flow_id = ? GROUP BY last_step`,
      ),
    };
  }

  /** The period's totals. */
  overview(companyId: string, period: Period): OverviewReport {
    const args = [companyId, period.from, period.to] as const;
    const row = this.statements.overview.get(...args)!;
    return {
      ...outcomes(row),
      first_response_ms: stats(this.statements.firstResponses.all(...args)),
      resolution_ms: stats(this.statements.resolutions.all(...args)),
      csat: { average: average(row.rating_sum ?? 0, row.rated), count: row.rated },
    };
  }

  /** Outcomes per local day, every day of the period included. */
  daily(companyId: string, period: Period): DailyReport {
    const days = period.days.map((day) => ({ day, conversations: 0, bot_only: 0, handed_off: 0, resolved: 0 }));
    for (const row of this.statements.byQuarter.all(companyId, period.from, period.to)) {
      const day = days[dayIndex(period, row.q * BUCKET_MS)];
      if (!day) continue;
      day.conversations += row.conversations;
      day.bot_only += row.bot_only;
      day.handed_off += row.handed_off;
      day.resolved += row.resolved;
    }
    return { days: days.map((d) => ({ day: d.day, ...outcomes(d) })) };
  }

  /** First response and resolution times, overall and per agent (agents by name). */
  responseTimes(companyId: string, period: Period): ResponseTimesReport {
    const args = [companyId, period.from, period.to] as const;
    const names = new Map(this.statements.agentNames.all(companyId).map((u) => [u.id, u.name]));
    const agents = new Map<string, { first: number[]; resolution: number[] }>();
    const of = (id: string) => {
      let agent = agents.get(id);
      if (!agent) agents.set(id, (agent = { first: [], resolution: [] }));
      return agent;
    };
    const first: number[] = [];
    const resolution: number[] = [];
    for (const row of this.statements.firstResponsesByAgent.all(...args)) {
      first.push(row.ms);
      of(row.agent).first.push(row.ms);
    }
    for (const row of this.statements.resolutionsByAgent.all(...args)) {
      resolution.push(row.ms);
      of(row.agent).resolution.push(row.ms);
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
  csat(companyId: string, period: Period): CsatReport {
    const distribution = [0, 0, 0, 0, 0];
    let sum = 0;
    let count = 0;
    for (const row of this.statements.ratings.all(companyId, period.from, period.to)) {
      distribution[row.rating - 1] = row.n;
      sum += row.rating * row.n;
      count += row.n;
    }
    const comments = this.statements.comments
      .all(companyId, period.from, period.to, companyId, MAX_COMMENTS)
      .map((c) => ({ ...c, scale: c.scale as RatingScale }));
    return { average: average(sum, count), count, distribution, comments };
  }

  /** Conversations started per local weekday (Monday first) and hour. */
  hours(companyId: string, period: Period): HoursReport {
    const cells = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    for (const row of this.statements.startsByQuarter.all(companyId, period.from, period.to)) {
      const utc = row.q * BUCKET_MS;
      const local = utc + period.offsetAt(utc);
      const weekday = (Math.floor(local / 86_400_000) + 3) % 7; // 1970-01-01 was a Thursday.
      const hour = Math.floor(local / 3_600_000) % 24;
      cells[weekday]![hour]! += row.n;
    }
    return { cells };
  }

  /**
   * The published flow's funnel: its steps in the order a walk from `start` first meets them, how
   * many of the period's conversations reached each, and how many stand last at it.
   */
  funnel(companyId: string, period: Period, flow: { id: string; flow: Flow } | undefined): FunnelReport {
    if (!flow) return { flow: null, conversations: 0, steps: [] };
    const reached = new Map<string, number>();
    const fromBucket = Math.floor(period.from / BUCKET_MS);
    const toBucket = Math.ceil(period.to / BUCKET_MS);
    for (const row of this.statements.funnelReached.all(companyId, flow.id, fromBucket, toBucket)) reached.set(row.step, row.reached);
    const stopped = new Map<string, number>();
    let conversations = 0;
    for (const row of this.statements.funnelStopped.all(companyId, period.from, period.to, flow.id)) {
      conversations += row.n;
      if (row.step !== null) stopped.set(row.step, row.n);
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
