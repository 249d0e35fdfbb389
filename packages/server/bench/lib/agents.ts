import type { LoginResponse } from '@parley/protocol';
import type { RunningServer } from './servers.js';

/** The owner's password the bench gives its server on first start. */
export const BENCH_ADMIN_PASSWORD = 'bench-owner-password';

async function call<T>(server: RunningServer, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(server.http(path), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * Tokens for `count` agents of the default company (created by its owner, then signed in), or
 * undefined when this build has no agent channel (`/ws/agent`): measurement 4 is then pending.
 */
export async function agentTokens(server: RunningServer, count: number): Promise<string[] | undefined> {
  const probe = await fetch(server.http('/ws/agent'));
  await probe.arrayBuffer();
  if (probe.status === 404) return undefined;
  const owner = await call<LoginResponse>(server, '/api/auth/login', { email: 'admin@parley.local', password: BENCH_ADMIN_PASSWORD });
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const email = `agent${i}@bench.local`;
    await call(server, '/api/users', { email, name: `Agent ${i}`, password: BENCH_ADMIN_PASSWORD, role: 'agent' }, owner.token);
    tokens.push((await call<LoginResponse>(server, '/api/auth/login', { email, password: BENCH_ADMIN_PASSWORD })).token);
  }
  return tokens;
}
