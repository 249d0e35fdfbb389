import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { verdictFailures } from '../../bench/drill/check.js';
import { agentFailures, webhookFailures } from '../../bench/drill/check-nodes.js';
import { runNodesDrill } from '../../bench/drill/nodes.js';
import { requirePostgres, servicesRequired } from '../db/postgres-helper.js';

/*
 * The short version of `pnpm drill --nodes 3`: three nodes from source on a PostgreSQL database of
 * their own and a Redis the drill starts (`redis-server` on the PATH), behind a round-robin proxy.
 * Without PostgreSQL or redis-server a developer's machine skips it; under CI it fails.
 */
const hasPostgres = await requirePostgres();
const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer && servicesRequired()) throw new Error('redis-server is required here (CI or PARLEY_REQUIRE_SERVICES=1) but is not on the PATH');

describe.skipIf(!hasPostgres || !hasRedisServer)('the multi-node drill', () => {
  it('loses, doubles and reorders nothing while nodes are killed and Redis restarts', async () => {
    const report = await runNodesDrill({
      nodes: 3,
      visitors: 6,
      messages: 20,
      killEveryMs: [1500, 3000],
      maxKills: 2,
      redisRestartAt: 0.3,
      // Beside other test files on two cores, each kill's restart from source can take seconds.
      deadlineMs: 60_000,
      settleMs: 15_000,
      companies: 2,
      agentsPerCompany: 1,
      webhookLeaseMs: 2000,
      fromSource: true,
      visitor: { window: 2, perSecond: 1.5 },
    });
    const details = JSON.stringify({ visitors: report.visitors.details, agents: report.agents.details, webhooks: report.webhooks.details, stalls: report.stalls });
    expect(report.finished, details).toBe(true);
    expect(report.settled, details).toBe(true);
    expect(report.kills).toBe(2);
    expect(report.redisRestarts).toBe(1);
    expect(verdictFailures(report.visitors), details).toEqual([]);
    expect(agentFailures(report.agents), details).toEqual([]);
    expect(webhookFailures(report.webhooks), details).toEqual([]);
    expect(report.exitCodes).toEqual([0, 0, 0]);
    expect(report.faults).toEqual([]);
  }, 120_000);
});
