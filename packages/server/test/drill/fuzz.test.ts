import { describe, expect, it } from 'vitest';
import { runFuzz } from '../../bench/drill/fuzz.js';

// The short version of `pnpm drill`'s malformed-input fuzz.
describe('the malformed-input fuzz', () => {
  it('answers hostile frames and requests with documented errors and leaks nothing', async () => {
    const report = await runFuzz({ rounds: 1, fromSource: true });
    expect(report.leaks).toEqual([]);
    expect(report.serverErrors).toEqual([]);
    expect(report.undocumented).toEqual([]);
    expect(report.faults).toEqual([]);
    expect(report.alive).toBe(true);
  }, 60_000);
});
