/**
 * The delay before reconnect attempt `attempt` (0-based): `min` doubling up to `max`, then
 * randomized by ±50 % so that many widgets do not all come back in the same instant.
 *
 * @example backoffDelay(0, 500, 30000, Math.random) // between 250 and 750
 */
export function backoffDelay(attempt: number, min: number, max: number, random: () => number): number {
  const base = Math.min(max, min * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.5 + random()));
}
