import type { CsatReport, DailyReport, DurationStats, FunnelReport, HoursReport, OverviewReport, ResponseTimesReport } from '@parley/protocol';
import { WEEKDAYS } from './charts.js';

/** Everything Insights shows for a period. */
export interface InsightsData {
  overview: OverviewReport;
  daily: DailyReport;
  times: ResponseTimesReport;
  csat: CsatReport;
  hours: HoursReport;
  funnel: FunnelReport;
}

/** A chart's numbers as a table: what the table view shows and the CSV export holds. */
export interface Table {
  headers: string[];
  rows: Array<Array<string | number>>;
}

/** A duration in words: `850 ms`, `42 s`, `3 min 5 s`, `2 h 10 min`; a dash for none. */
export function duration(ms: number | null): string {
  if (ms === null) return '–';
  if (ms < 1000) return `${ms} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${Math.floor(m / 60)} h`;
}

const stats = (d: DurationStats) => [duration(d.median), duration(d.p90)];

/** The tables behind each chart. */
export const tables = {
  daily: (d: InsightsData): Table => ({
    headers: ['Day', 'Conversations', 'Bot only', 'Handed off (open)', 'Resolved', 'Abandoned'],
    rows: d.daily.days.map((x) => [x.day, x.conversations, x.bot_only, x.handed_off - x.resolved, x.resolved, x.abandoned]),
  }),
  times: (d: InsightsData): Table => ({
    headers: ['Agent', 'First responses', 'First response median', 'First response p90', 'Resolutions', 'Resolution median', 'Resolution p90'],
    rows: [
      ['Everyone', d.times.agents.reduce((n, a) => n + a.first_responses, 0), ...stats(d.times.first_response_ms), d.times.agents.reduce((n, a) => n + a.resolutions, 0), ...stats(d.times.resolution_ms)],
      ...d.times.agents.map((a) => [a.name, a.first_responses, ...stats(a.first_response_ms), a.resolutions, ...stats(a.resolution_ms)]),
    ],
  }),
  csat: (d: InsightsData): Table => ({
    headers: ['Score', 'Ratings'],
    rows: d.csat.distribution.map((n, i) => [`${i + 1}`, n]),
  }),
  comments: (d: InsightsData): Table => ({
    headers: ['Rated at', 'Score', 'Comment', 'Conversation'],
    rows: d.csat.comments.map((c) => [c.created_at.slice(0, 16).replace('T', ' '), c.score, c.comment, c.conversation_id]),
  }),
  hours: (d: InsightsData): Table => ({
    headers: ['Day', ...Array.from({ length: 24 }, (_, h) => `${h}h`)],
    rows: d.hours.cells.map((row, i) => [WEEKDAYS[i]!, ...row]),
  }),
  funnel: (d: InsightsData): Table => ({
    headers: ['Step', 'Type', 'Reached', 'Stopped there'],
    rows: d.funnel.steps.map((s) => [s.step, s.type, s.reached, s.stopped]),
  }),
};

/** A table as CSV (RFC 4180; cells that a spreadsheet would run as formulas are quoted with a leading `'`). */
export function toCsv(table: Table): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s) && typeof v === 'string') s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return [table.headers, ...table.rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** The period of a preset, as local dates in `tz`: today, the last 7 or 30 days. */
export function presetPeriod(preset: 'today' | '7' | '30', tz: string, now = new Date()): { from: string; to: string } {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const back = preset === 'today' ? 0 : Number(preset) - 1;
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - back * 86_400_000).toISOString().slice(0, 10);
  return { from, to: today };
}
