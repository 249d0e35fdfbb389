import { createHmac } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoginResponse, VerifyResponse } from '@parley/protocol';
import { redactUrl } from '../../src/lib/log.js';
import { tempDataDir, TestSocket } from '../helper.js';
import { addAgent, call, login, openAgent, OWNER, SECRET, startAgentServer } from '../agent-helper.js';

const b64 = (value: unknown) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A JWT signed the way an attacker (or a clock) would make it. */
function forge(header: Record<string, unknown>, payload: Record<string, unknown>, secret = SECRET, algorithm = 'sha256'): string {
  const head = `${b64(header)}.${b64(payload)}`;
  return `${head}.${createHmac(algorithm, secret).update(head).digest('base64url')}`;
}

const now = () => Math.floor(Date.now() / 1000);

describe('signing in', () => {
  it('trades a right password for a token that verifies, and refuses wrong ones alike', async () => {
    const { http } = await startAgentServer();
    const ok = await call<LoginResponse>(http, 'POST', '/api/auth/login', { body: { email: '  OWNER@acme.test ', password: OWNER.password } });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ email: OWNER.email, role: 'owner', disabled: false });
    expect(ok.body.user).not.toHaveProperty('password_hash');
    const claims = JSON.parse(Buffer.from(ok.body.token.split('.')[1]!, 'base64url').toString()) as Record<string, number>;
    // Twelve hours, as documented: not a second more (the JWT's exp is in seconds).
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
    expect(ok.body.expires_at).toBe(new Date(claims.exp! * 1000).toISOString());
    expect(Math.abs(Date.parse(ok.body.expires_at) - (Date.now() + 12 * 3600_000))).toBeLessThan(5_000);
    expect(claims).toMatchObject({ sub: ok.body.user.id, company_id: ok.body.user.company_id, role: 'owner' });
    expect(JSON.parse(Buffer.from(ok.body.token.split('.')[0]!, 'base64url').toString())).toMatchObject({ alg: 'HS256' });

    const verified = await call<VerifyResponse>(http, 'GET', '/api/auth/verify', { token: ok.body.token });
    expect(verified.status).toBe(200);
    expect(verified.body.user.id).toBe(ok.body.user.id);

    const wrong = await call(http, 'POST', '/api/auth/login', { body: { email: OWNER.email, password: 'not-the-password' } });
    const unknown = await call(http, 'POST', '/api/auth/login', { body: { email: 'nobody@acme.test', password: 'whatever-123' } });
    for (const answer of [wrong, unknown]) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ statusCode: 401, code: 'unauthorized', error: 'Unauthorized', message: 'Wrong email or password' });
    }
    const malformed = await call(http, 'POST', '/api/auth/login', { body: { email: OWNER.email, password: OWNER.password, role: 'owner' } });
    expect(malformed.status).toBe(400);
  });

  it('refuses a token once its lifetime is over, on REST and on the agent socket (closed with 4401)', async () => {
    const { http, agentWs } = await startAgentServer({ tokenTtlSeconds: 3 });
    const owner = await login(http, OWNER.email, OWNER.password);
    const claims = JSON.parse(Buffer.from(owner.token.split('.')[1]!, 'base64url').toString()) as Record<string, number>;
    expect(claims.exp! - claims.iat!).toBe(3);
    const expiresAt = Date.parse(owner.expires_at);
    expect(expiresAt).toBe(claims.exp! * 1000);
    expect(expiresAt - Date.now()).toBeLessThanOrEqual(3_000);
    const verified = await call<VerifyResponse>(http, 'GET', '/api/auth/verify', { token: owner.token });
    expect(verified.status).toBe(200);
    expect(verified.body.expires_at).toBe(owner.expires_at);
    const { socket } = await openAgent(agentWs, owner.token);

    expect(await socket.closed).toBe(4401);
    // Closed at the expiry, give or take the timer's and the machine's slack.
    expect(Date.now()).toBeGreaterThanOrEqual(expiresAt - 50);
    expect(Date.now() - expiresAt).toBeLessThan(1_500);
    const refused = await call(http, 'GET', '/api/auth/verify', { token: owner.token });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ code: 'unauthorized', message: 'Invalid or expired token' });
    await expect(TestSocket.open(`${agentWs}?token=${owner.token}`)).rejects.toThrow('HTTP 401');
  });

  it('refuses a disabled account, and its existing token stops working at once, sockets included', async () => {
    const { app, http, agentWs } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const kim = await addAgent(app, http, owner.user.company_id, 'Kim');
    const socket = await openAgent(agentWs, kim.token);
    const disabled = await call(http, 'PATCH', `/api/users/${kim.user.id}`, { token: owner.token, body: { disabled: true } });
    expect(disabled.status).toBe(200);
    expect(disabled.body.user.disabled).toBe(true);
    expect(await socket.socket.closed).toBe(4401);
    expect((await call(http, 'GET', '/api/auth/verify', { token: kim.token })).status).toBe(401);
    expect((await call(http, 'GET', '/api/chats', { token: kim.token })).status).toBe(401);
    expect((await call(http, 'POST', '/api/auth/login', { body: { email: kim.email, password: kim.password } })).status).toBe(401);
    await expect(TestSocket.open(`${agentWs}?token=${kim.token}`)).rejects.toThrow('HTTP 401');

    // Deleted accounts likewise.
    const lee = await addAgent(app, http, owner.user.company_id, 'Lee');
    expect((await call(http, 'DELETE', `/api/users/${lee.user.id}`, { token: owner.token })).status).toBe(204);
    expect((await call(http, 'GET', '/api/auth/verify', { token: lee.token })).status).toBe(401);
  });

  it('answers 401 in the API error shape for missing, expired, tampered, alg:none and foreign tokens', async () => {
    const { http, agentWs } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const claims = { sub: owner.user.id, company_id: owner.user.company_id, role: 'owner' };
    const [head, payload, signature] = owner.token.split('.') as [string, string, string];
    const tokens: Record<string, string | undefined> = {
      missing: undefined,
      garbage: 'not-a-token',
      expired: forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now() - 7200, exp: now() - 3600 }),
      tampered: `${head}.${b64({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), role: 'owner', company_id: 'other' })}.${signature}`,
      'alg:none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ ...claims, iat: now(), exp: now() + 3600 })}.`,
      'alg:HS512': forge({ alg: 'HS512', typ: 'JWT' }, { ...claims, iat: now(), exp: now() + 3600 }, SECRET, 'sha512'),
      'other secret': forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now(), exp: now() + 3600 }, 'another-secret-another-secret-another'),
      'unknown user': forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, sub: 'ghost', iat: now(), exp: now() + 3600 }),
    };
    for (const [name, token] of Object.entries(tokens)) {
      const answer = await call(http, 'GET', '/api/auth/verify', { token });
      expect(answer.status, name).toBe(401);
      expect(answer.body, name).toMatchObject({ statusCode: 401, code: 'unauthorized', error: 'Unauthorized' });
      if (token) await expect(TestSocket.open(`${agentWs}?token=${encodeURIComponent(token)}`), name).rejects.toThrow('HTTP 401');
    }
    await expect(TestSocket.open(agentWs)).rejects.toThrow('HTTP 401');
    // A token forged with the right secret and algorithm is, of course, good: the test can fail.
    const good = forge({ alg: 'HS256', typ: 'JWT' }, { ...claims, iat: now(), exp: now() + 3600 });
    expect((await call(http, 'GET', '/api/auth/verify', { token: good })).status).toBe(200);
  });

  it('rate-limits sign-in per email and per address', async () => {
    const { http } = await startAgentServer({ limits: { loginPerMinutePerEmail: 3, loginPerMinutePerIp: 6 } });
    const attempt = (email: string) => call(http, 'POST', '/api/auth/login', { body: { email, password: 'wrong-password' } });
    for (let i = 0; i < 3; i++) expect((await attempt(OWNER.email)).status).toBe(401);
    const limited = await attempt(OWNER.email);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right password waits now.
    expect((await call(http, 'POST', '/api/auth/login', { body: OWNER })).status).toBe(429);
    // Other emails from the same address hit the per-address limit.
    expect((await attempt('a@acme.test')).status).toBe(401);
    const perIp = await attempt('b@acme.test');
    expect(perIp.status).toBe(429);
    expect(perIp.body).toMatchObject({ statusCode: 429, code: 'rate_limited' });
  });

  it('keeps a generated signing secret in the data folder, readable by the owner only, across restarts', async () => {
    const dataDir = tempDataDir();
    const first = await startAgentServer({ dataDir, secret: undefined });
    const session = await login(first.http, OWNER.email, OWNER.password);
    const mode = statSync(join(dataDir, 'secret')).mode & 0o777;
    expect(mode).toBe(0o600);
    await first.app.close();
    const second = await startAgentServer({ dataDir, secret: undefined });
    expect((await call(second.http, 'GET', '/api/auth/verify', { token: session.token })).status).toBe(200);
    // A token signed with the configured test secret is not good here.
    const other = await startAgentServer();
    const foreign = await login(other.http, OWNER.email, OWNER.password);
    expect((await call(second.http, 'GET', '/api/auth/verify', { token: foreign.token })).status).toBe(401);
  });

  it('keeps tokens out of log lines', () => {
    expect(redactUrl('/ws/agent?token=eyJ.abc.def')).toBe('/ws/agent?token=[redacted]');
    expect(redactUrl('/ws/agent?x=1&token=eyJ.abc&y=2')).toBe('/ws/agent?x=1&token=[redacted]&y=2');
    expect(redactUrl('/api/chats?status=waiting')).toBe('/api/chats?status=waiting');
  });
});
