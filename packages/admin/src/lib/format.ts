import type { ConversationStatus } from '@parley/protocol';

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];
const WEEK = 7 * 86_400_000;
const formats = new Map<string, Intl.RelativeTimeFormat>();

/** One formatter per locale and style (building them is the slow part). */
function relativeFormat(style: Intl.RelativeTimeFormatStyle, locale: string | undefined): Intl.RelativeTimeFormat {
  const key = `${locale ?? ''}|${style}`;
  let format = formats.get(key);
  if (!format) formats.set(key, (format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto', style })));
  return format;
}

/**
 * How long ago `iso` was, in the browser's language (`Intl.RelativeTimeFormat`), in the largest
 * whole unit: "now" under a minute, then "5 minutes ago", "3 hours ago", "yesterday", "2 weeks ago".
 * A time ahead of `now` (another clock) reads as now. Empty for no or a bad date.
 */
export function relativeTime(iso: string | null | undefined, options: { now?: number; style?: Intl.RelativeTimeFormatStyle; locale?: string } = {}): string {
  if (!iso) return '';
  const ms = (options.now ?? Date.now()) - Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const format = relativeFormat(options.style ?? 'long', options.locale);
  for (const [unit, size] of UNITS) if (ms >= size) return format.format(-Math.floor(ms / size), unit);
  return format.format(0, 'second');
}

/** For list rows: "now", "5m ago", "3h ago", "yesterday", "2d ago", or the date past a week. */
export function shortAge(iso: string | null | undefined, now = Date.now(), locale?: string): string {
  if (!iso) return '';
  const ms = now - Date.parse(iso);
  if (Number.isFinite(ms) && ms >= WEEK) return new Date(iso).toLocaleDateString(locale);
  return relativeTime(iso, { now, style: 'narrow', ...(locale ? { locale } : {}) });
}

/** For sentences: "now", "5 minutes ago", "yesterday", "3 weeks ago". */
export function ago(iso: string | null | undefined, now = Date.now(), locale?: string): string {
  return relativeTime(iso, { now, ...(locale ? { locale } : {}) });
}

/** A time of day for message bubbles, with the date when it is not today. */
export function clock(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const time = date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  return date.toDateString() === now.toDateString() ? time : `${date.toLocaleDateString()} ${time}`;
}

/** A full local date and time, for details panels. */
export function dateTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** Prices as the bot shows them: with their currency when the flow gives one (`€9.50`), else two decimals. */
export function money(value: number, currency?: string): string {
  if (!currency) return value.toFixed(2);
  try {
    return value.toLocaleString('en-US', { style: 'currency', currency });
  } catch {
    return `${value.toFixed(2)} ${currency}`;
  }
}

/** The browser and system of a user agent string, e.g. "Chrome 131 on macOS". */
export function describeUserAgent(ua: string | null | undefined): string {
  if (!ua) return 'Unknown';
  const browser =
    match(ua, /Edg\/(\d+)/, 'Edge') ??
    match(ua, /OPR\/(\d+)/, 'Opera') ??
    match(ua, /Firefox\/(\d+)/, 'Firefox') ??
    match(ua, /Chrom(?:e|ium)\/(\d+)/, 'Chrome') ??
    match(ua, /Version\/(\d+).*Safari/, 'Safari');
  const os = /iPhone|iPad/.test(ua)
    ? 'iOS'
    : /Android/.test(ua)
      ? 'Android'
      : /Mac OS X/.test(ua)
        ? 'macOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Linux/.test(ua)
            ? 'Linux'
            : undefined;
  if (!browser && !os) return ua.slice(0, 60);
  return [browser, os && `on ${os}`].filter(Boolean).join(' ');
}

function match(ua: string, pattern: RegExp, name: string): string | undefined {
  const found = pattern.exec(ua);
  return found ? `${name} ${found[1]}` : undefined;
}

/** Human labels of conversation statuses. */
export const statusLabel: Record<ConversationStatus, string> = {
  bot: 'Bot',
  waiting: 'Waiting',
  agent: 'With agent',
  resolved: 'Resolved',
  closed: 'Closed',
};

/**
 * Who the host page says the visitor is (`Parley.identify`), when the server reports it. Read
 * loosely so that the dashboard works with servers that do not send it.
 */
export interface IdentityLike {
  user_id: string;
  name: string | null;
  email: string | null;
  verified: boolean;
  identified_at?: string;
}

/** The identity of a chat's visitor, if any. */
export function identityOf(chat: { visitor: object }): IdentityLike | undefined {
  const identity = (chat.visitor as { identity?: unknown }).identity;
  return identity && typeof identity === 'object' && typeof (identity as IdentityLike).user_id === 'string' ? (identity as IdentityLike) : undefined;
}

/** A visitor's display name: their identity's or lead's name or email when known, else a short id. */
export function visitorName(chat: { id: string; lead: Record<string, unknown> | null; visitor: object }): string {
  const identity = identityOf(chat);
  const lead = chat.lead;
  const name = identity?.name ?? identity?.email ?? lead?.name ?? lead?.full_name ?? lead?.email;
  return typeof name === 'string' && name.trim() ? name.trim() : `Visitor ${chat.id.slice(-5)}`;
}
