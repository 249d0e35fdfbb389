import type { ConversationStatus } from '@parley/protocol';

/** "now", "5 min", "3 h", "2 d", or a date, for list rows. */
export function shortAge(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const ms = now - Date.parse(iso);
  if (!Number.isFinite(ms)) return '';
  const min = Math.floor(ms / 60_000);
  if (min < 1) return 'now';
  if (min < 60) return `${min} min`;
  const hours = Math.floor(min / 60);
  if (hours < 24) return `${hours} h`;
  const days = Math.floor(hours / 24);
  return days < 7 ? `${days} d` : new Date(iso).toLocaleDateString();
}

/** "just now" or "5 min ago", for sentences. */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  const age = shortAge(iso, now);
  return age === 'now' ? 'just now' : age.includes('/') || age.includes('.') ? `on ${age}` : `${age} ago`;
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
