import { describe, expect, it } from 'vitest';
import { verdictFailures } from '../../bench/drill/check.js';
import { runKillDrill } from '../../bench/drill/kill.js';

// The short version of `pnpm drill`'s SIGKILL drill; the server runs from source in a child process.
describe('the SIGKILL drill', () => {
  it('loses and doubles nothing when the server is killed mid-conversation', async () => {
    const report = await runKillDrill({
      visitors: 6,
      messages: 16,
      killEveryMs: [250, 600],
      maxKills: 2,
      deadlineMs: 45_000,
      fromSource: true,
      visitor: { window: 1, pauseMs: 200 },
    });
    expect(report.finished, JSON.stringify(report.details)).toBe(true);
    expect(report.kills).toBeGreaterThan(0);
    expect(verdictFailures(report), JSON.stringify(report.details)).toEqual([]);
    expect(report.faults).toEqual([]);
  }, 60_000);
});
