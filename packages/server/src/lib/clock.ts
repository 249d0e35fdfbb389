let last = 0;

/**
 * The time of a conversation event: ISO 8601 with microseconds, from the wall clock, and strictly
 * later than the one before it in this process. Events in the same millisecond (two hand-offs,
 * two messages) keep the order they happened in, so queues and inboxes sort them the same way
 * every time. Only more than a thousand events in one millisecond move it ahead of the clock.
 *
 * @example timestamp() // '2026-11-21T07:00:00.123000Z', then '2026-11-21T07:00:00.123001Z'
 */
export function timestamp(): string {
  let micros = Date.now() * 1000;
  if (micros <= last) micros = last + 1;
  last = micros;
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return `${iso.slice(0, 23)}${String(micros % 1000).padStart(3, '0')}Z`;
}
