import { createHmac } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSecrets, type SealPurpose } from '../../src/core/secrets.js';
import { buildTestServer, tempDataDir } from '../helper.js';

/*
 * A data folder as earlier versions left it: the instance secret in `<dataDir>/secret`, and values
 * each capability sealed with it before the secrets plugin existed (made with the code of that
 * time and frozen here). Upgrading must keep every one of them readable.
 */
const SECRET = 'oA3kV9qL2xR7tW1yZ5bN8mC4dF6gH0jKpQsUvXeIrTw-_abcdEFGH12345678zz';
const SEALED_BEFORE: Record<SealPurpose, string> = {
  'ai-api-key': 'v1.7PWYW39fLCowhsJM.b9vK1DEFYewIONpraiTyRg.zAWiRUvYTnL8dpWxh3PkgA',
  'identity-secret': 'v1.zg07Vh_4eTPXVjsh.S-n7QMq8vhrlGXfLEd4XLQ.-uLtiVrE8gztE7-YkknhIC-xGTMM',
  'webhook-secret': 'v1.x1vXOo-rnjX1XufO._gPv0IFby0uzzVGMp1SJkA.DuYcpN6Ikv9-xifAf5pOukSfA40',
  'flow-http-header': 'v1.Pk3cVs9Q4YNeHcZN.SazvWVY7J6g-tBY2fcSmGQ.9s0B4gAP0nKzzsXYyL8FWAUFWba8LQ',
};

function olderDataDir(): string {
  const dataDir = tempDataDir();
  writeFileSync(join(dataDir, 'secret'), SECRET, { mode: 0o600 });
  return dataDir;
}

/** An HS256 token signed with `secret`, as the dashboard holds one from before an upgrade. */
function tokenSignedWith(secret: string, payload: object): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...payload, iat: Math.floor(Date.now() / 1000) })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('the instance secret', () => {
  it("of an existing data folder still opens every value sealed before, and verifies its tokens", async () => {
    const dataDir = olderDataDir();
    const app = await buildTestServer({ dataDir, secret: undefined });
    expect(app.secrets.instance).toBe(SECRET);
    for (const [purpose, sealed] of Object.entries(SEALED_BEFORE) as Array<[SealPurpose, string]>) {
      expect(app.secrets.sealer(purpose).open(sealed), purpose).toBe(`plain ${purpose}`);
    }
    expect(app.jwt.verify<{ sub: string }>(tokenSignedWith(SECRET, { sub: 'u1' })).sub).toBe('u1');
    // The file is left as it was.
    expect(readFileSync(join(dataDir, 'secret'), 'utf8')).toBe(SECRET);
  });

  it('keeps each purpose apart: a value sealed for one does not open as another', () => {
    const secrets = loadSecrets({ dataDir: olderDataDir() });
    expect(secrets.sealer('webhook-secret').open(SEALED_BEFORE['ai-api-key'])).toBeUndefined();
    expect(secrets.sealer('ai-api-key')).toBe(secrets.sealer('ai-api-key'));
  });

  it('is made once into a new data folder, readable by its owner only, and PARLEY_SECRET wins over it', () => {
    const dataDir = tempDataDir();
    const first = loadSecrets({ dataDir });
    expect(first.instance.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dataDir, 'secret')).mode & 0o777).toBe(0o600);
    expect(loadSecrets({ dataDir }).instance).toBe(first.instance);
    const given = loadSecrets({ dataDir, secret: 'x'.repeat(40) });
    expect(given.instance).toBe('x'.repeat(40));
    expect(given.sealer('ai-api-key').open(first.sealer('ai-api-key').seal('k'))).toBeUndefined();
  });
});
