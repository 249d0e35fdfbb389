import { LoopbackServer } from '../../server/test/support/loopback.js';

export { MemoryStorage } from '../../server/test/support/memory-storage.js';
export { until } from '../../server/test/support/until.js';

/** The owner every test server starts with. */
export const OWNER = { email: 'owner@parley.test', password: 'owner-password-1' } as const;

/** A real Parley server on loopback with its own temporary data folder and a known owner. */
export class TestServer extends LoopbackServer {
  constructor() {
    super(
      '127.0.0.1',
      {
        adminEmail: OWNER.email,
        adminPassword: OWNER.password,
        limits: { loginPerMinutePerEmail: 1000, loginPerMinutePerIp: 1000 },
        // The webhook screen's test sends to a receiver on loopback; one failed attempt gives a
        // delivery up, and one given-up delivery disables its endpoint (the screen's notice).
        webhooks: { allowPrivate: true, timeoutMs: 3000, retryBaseMs: 500, retryMaxMs: 2000, maxAttempts: 1, disableAfterFailures: 1 },
      },
      'parley-admin-',
    );
  }

  /** Signs in over HTTP and returns the token. */
  async token(email: string = OWNER.email, password: string = OWNER.password): Promise<string> {
    const response = await fetch(`${this.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { token: string }).token;
  }
}
