import { describe, expect, it } from 'vitest';
import { timeOrderedId } from '../../src/lib/ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('timeOrderedId', () => {
  it('is a UUID version 7 that starts with the time in milliseconds', () => {
    const at = Date.UTC(2026, 11, 5, 17, 40, 12, 345);
    const id = timeOrderedId(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
  });

  it('sorts by time, as text too, and never repeats', () => {
    const ids: string[] = [];
    const start = Date.UTC(2026, 0, 1);
    // Several pools' worth, a millisecond apart and many in the same millisecond.
    for (let i = 0; i < 20_000; i++) ids.push(timeOrderedId(start + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 10; i < ids.length; i += 10) expect(ids[i - 1]! < ids[i]!).toBe(true);
    for (const id of ids.slice(0, 50)) expect(id).toMatch(UUID_V7);
  });

  it('draws its 74 random bits afresh for every id', () => {
    // Two ids of the same millisecond share the time, and nothing after it.
    const [a, b] = [timeOrderedId(0), timeOrderedId(0)];
    expect(a.slice(0, 14)).toBe(b.slice(0, 14));
    expect(a.slice(14)).not.toBe(b.slice(14));
  });
});
