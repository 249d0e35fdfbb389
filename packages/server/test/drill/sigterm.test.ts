import { describe, expect, it } from 'vitest';
import { verdictFailures } from '../../bench/drill/check.js';
import { runSigtermDrill } from '../../bench/drill/sigterm.js';

// The short version of `pnpm drill`'s SIGTERM drill.
describe('the SIGTERM drill', () => {
  it('closes sockets with 1001, commits what was queued, and lets visitors resume', async () => {
    const report = await runSigtermDrill({ visitors: 8, messages: 40, at: 0.5, deadlineMs: 45_000, fromSource: true });
    expect(report.exitCode).toBe(0);
    expect(report.closeCodes).toEqual({ 1001: 8 });
    expect(report.ackedMissingAtExit).toBe(0);
    expect(report.finished).toBe(true);
    expect(verdictFailures(report), JSON.stringify(report.details)).toEqual([]);
    expect(report.faults).toEqual([]);
  }, 60_000);
});
