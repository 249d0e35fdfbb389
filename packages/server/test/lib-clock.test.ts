import { describe, expect, it } from 'vitest';
import { timestamp } from '../src/lib/clock.js';

describe('timestamp', () => {
  it('is ISO 8601 with microseconds, close to the wall clock, and strictly increasing', () => {
    const before = Date.now();
    const stamps = Array.from({ length: 5000 }, () => timestamp());
    expect(stamps[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! > stamps[i - 1]!, `${stamps[i - 1]} then ${stamps[i]}`).toBe(true);
    expect(Math.abs(Date.parse(stamps[0]!) - before)).toBeLessThan(50);
    expect(Date.parse(stamps.at(-1)!)).toBeLessThanOrEqual(Date.now() + 5);
  });
});
