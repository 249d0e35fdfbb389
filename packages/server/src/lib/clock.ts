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
  const ms = Math.floor(micros / 1000);
  // Many events share a millisecond under load: its ISO text is made once.
  if (ms !== cachedMs) {
    cachedMs = ms;
    cachedPrefix = new Date(ms).toISOString().slice(0, 23);
  }
  return `${cachedPrefix}${MICROS[micros % 1000]}Z`;
}

let cachedMs = -1;
let cachedPrefix = '';
/** '000' to '999': the microseconds part, without building it each time. */
const MICROS = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
