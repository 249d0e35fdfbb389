import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far ahead a token's `exp` may be (a token is meant to live minutes, not days). */
export const MAX_TOKEN_LIFETIME_S = 3600;
/** Clock skew allowed between the host site's server and Parley. */
export const CLOCK_SKEW_S = 60;

/** A checked identity: who, and for a token, the name and email it carries. */
export type ProofResult =
  | { ok: true; userId: string; name?: string | undefined; email?: string | undefined }
  | { ok: false; error: string; userId?: string | undefined };

/** Constant-time equality of two byte strings (false for different lengths, without a shortcut on content). */
function sameBytes(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

/**
 * The identity hash a host site's server computes: hex HMAC-SHA256 of the user id, keyed with the
 * company's identity secret.
 *
 * @example identityHash('42', 'is_...') // 'a3f1...' (64 hex characters)
 */
export function identityHash(userId: string, secret: string): string {
  return createHmac('sha256', secret).update(userId, 'utf8').digest('hex');
}

/** Checks `hash` against the user id, in constant time. */
export function verifyIdentityHash(userId: string | undefined, hash: string, secret: string): ProofResult {
  if (!userId) return { ok: false, error: 'A hash needs the user_id it was made from' };
  if (!/^[0-9a-fA-F]{64}$/.test(hash)) return { ok: false, error: 'The hash must be 64 hexadecimal characters (HMAC-SHA256)', userId };
  const expected = Buffer.from(identityHash(userId, secret), 'hex');
  if (!sameBytes(Buffer.from(hash.toLowerCase(), 'hex'), expected)) return { ok: false, error: 'The identity hash does not match', userId };
  return { ok: true, userId };
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const optionalString = (value: unknown, max: number) => (typeof value === 'string' && value.length <= max ? value : undefined);

/**
 * Checks an identity token: a compact HS256 JWT signed with the company's identity secret, with
 * `sub` (the user id, required), `exp` (required, in the future and at most an hour ahead),
 * optional `nbf`, `name` and `email`. Any other algorithm (`none`, RS256 ...) is refused.
 */
export function verifyIdentityToken(token: string, secret: string, now = Date.now()): ProofResult {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return { ok: false, error: 'The token is not a JWT' };
  const [head, body, signature] = parts as [string, string, string];
  const header = decodeJson(head);
  const claims = decodeJson(body);
  if (!header || !claims) return { ok: false, error: 'The token is not a JWT' };
  const unverifiedSub = optionalString(claims.sub, 256);
  if (header.alg !== 'HS256') return { ok: false, error: 'The token must be signed with HS256', userId: unverifiedSub };
  const expected = createHmac('sha256', secret).update(`${head}.${body}`).digest();
  if (!sameBytes(Buffer.from(signature, 'base64url'), expected)) return { ok: false, error: 'The token signature does not match', userId: unverifiedSub };
  const seconds = now / 1000;
  if (!unverifiedSub) return { ok: false, error: 'The token needs a "sub" (the user id)' };
  if (typeof claims.exp !== 'number') return { ok: false, error: 'The token needs an "exp"', userId: unverifiedSub };
  if (claims.exp + CLOCK_SKEW_S <= seconds) return { ok: false, error: 'The token has expired', userId: unverifiedSub };
  if (claims.exp > seconds + MAX_TOKEN_LIFETIME_S + CLOCK_SKEW_S) {
    return { ok: false, error: 'The token lives too long: "exp" may be at most an hour ahead', userId: unverifiedSub };
  }
  if (typeof claims.nbf === 'number' && claims.nbf > seconds + CLOCK_SKEW_S) return { ok: false, error: 'The token is not valid yet', userId: unverifiedSub };
  return { ok: true, userId: unverifiedSub, name: optionalString(claims.name, 200), email: optionalString(claims.email, 254) };
}

/**
 * Signs an identity token, as a host site's server would (for tests and examples).
 *
 * @example signIdentityToken({ sub: '42', name: 'Ann', exp: Math.floor(Date.now() / 1000) + 600 }, secret)
 */
export function signIdentityToken(claims: Record<string, unknown>, secret: string, header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' }): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${encode(header)}.${encode(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
