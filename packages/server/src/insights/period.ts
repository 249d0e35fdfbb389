import { Errors } from '../errors.js';

/** Longest report period, in days. */
export const MAX_PERIOD_DAYS = 366;
const DAY_MS = 86_400_000;

/**
 * A report period resolved in a time zone: the UTC instant each local day starts (`starts`, one
 * more than `days`: the last is where the period ends), and the zone's offset over the period.
 */
export interface Period {
  tz: string;
  days: string[];
  /** `starts[i]` is when `days[i]` begins, in epoch ms; `starts[days.length]` is the period's end. */
  starts: number[];
  from: number;
  to: number;
  /** The zone's UTC offset at an instant of the period, in ms. */
  offsetAt(utc: number): number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(tz: string): Intl.DateTimeFormat {
  let format = formatters.get(tz);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone: tz,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw Errors.validation(`Unknown time zone "${tz}"`);
    }
    if (formatters.size > 500) formatters.clear();
    formatters.set(tz, format);
  }
  return format;
}

/** The zone's offset from UTC at `utc` (ms; positive east of Greenwich). */
export function zoneOffset(tz: string, utc: number): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(tz).formatToParts(new Date(utc))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return local - Math.floor(utc / 1000) * 1000;
}

/** The UTC instant of a local wall-clock time (the first instant at or after it, across a DST gap). */
function localToUtc(tz: string, local: number): number {
  const guess = local - zoneOffset(tz, local);
  const utc = local - zoneOffset(tz, guess);
  // In a gap the wall time does not exist: the day starts when the clocks jump.
  return zoneOffset(tz, utc) + utc === local ? utc : Math.max(guess, utc);
}

function parseDay(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) throw Errors.validation(`"${day}" is not a date (YYYY-MM-DD)`);
  return ms;
}

/**
 * The period from `from` to `to` (both included, `YYYY-MM-DD`) in the time zone `tz`.
 * Throws `validation_failed` for a bad date, an unknown zone, `to` before `from` or more than 366 days.
 */
export function resolvePeriod(from: string, to: string, tz = 'UTC'): Period {
  const first = parseDay(from);
  const last = parseDay(to);
  if (last < first) throw Errors.validation('"to" is before "from"');
  const count = Math.round((last - first) / DAY_MS) + 1;
  if (count > MAX_PERIOD_DAYS) throw Errors.validation(`A report covers at most ${MAX_PERIOD_DAYS} days`);
  formatter(tz);
  const days: string[] = [];
  const starts: number[] = [];
  for (let i = 0; i <= count; i++) {
    const local = first + i * DAY_MS;
    if (i < count) days.push(new Date(local).toISOString().slice(0, 10));
    starts.push(localToUtc(tz, local));
  }
  // The offset is constant within a day unless the day's two ends differ (a DST change): then
  // the change is found to the minute and remembered.
  const changes: Array<{ at: number; offset: number }> = [];
  let before = zoneOffset(tz, starts[0]!);
  const initial = before;
  for (let i = 1; i <= count; i++) {
    const after = zoneOffset(tz, starts[i]!);
    if (after !== before) {
      let low = starts[i - 1]!;
      let high = starts[i]!;
      while (high - low > 60_000) {
        const mid = Math.floor((low + high) / 120_000) * 60_000;
        if (zoneOffset(tz, mid) === before) low = mid;
        else high = mid;
      }
      changes.push({ at: high, offset: after });
      before = after;
    }
  }
  const offsetAt = (utc: number): number => {
    let offset = initial;
    for (const change of changes) if (utc >= change.at) offset = change.offset;
    return offset;
  };
  return { tz, days, starts, from: starts[0]!, to: starts[count]!, offsetAt };
}

/** The index of the day of `period` that `utc` falls in (-1 outside the period). */
export function dayIndex(period: Period, utc: number): number {
  const { starts } = period;
  if (utc < starts[0]! || utc >= starts[starts.length - 1]!) return -1;
  let low = 0;
  let high = starts.length - 1;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (starts[mid]! <= utc) low = mid;
    else high = mid;
  }
  return low;
}
