import fp from 'fastify-plugin';
import type { JWT } from '@fastify/jwt';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { UserRole } from '@parley/protocol';
import { Errors } from '../errors.js';
import type { AuthUser, UserRepository } from './users.js';

/** What an agent token carries besides `iat` and `exp`. */
export interface TokenClaims {
  /** The user id. */
  sub: string;
  company_id: string;
  role: UserRole;
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: TokenClaims;
    /** The signed-in account, set by `app.authenticate` (read it only on routes that use it). */
    user: AuthUser;
  }
}

const RANK: Record<UserRole, number> = { agent: 0, admin: 1, owner: 2 };

/** Whether `role` is at least `needed` (an owner is an admin of the default company, an admin an agent). */
export function hasRole(role: UserRole, needed: UserRole): boolean {
  return RANK[role] >= RANK[needed];
}

/**
 * Agent tokens: issued at login, checked on every request and socket. A token is only as good as
 * its account: a disabled or deleted user's token stops working at once, and the account's
 * current role (not the one in the token) decides what it may do.
 */
export class AuthService {
  constructor(
    private readonly jwt: JWT,
    private readonly users: UserRepository,
  ) {}

  /** A signed HS256 token for a user and when it expires. */
  issue(user: AuthUser): { token: string; expiresAt: string } {
    const token = this.jwt.sign({ sub: user.id, company_id: user.companyId, role: user.role });
    return { token, expiresAt: this.expiresAt(token) };
  }

  /** When a (verified) token expires, as ISO 8601. */
  expiresAt(token: string): string {
    const exp = (this.jwt.decode<{ exp?: number }>(token) ?? {}).exp;
    return new Date((exp ?? 0) * 1000).toISOString();
  }

  /** The account a token belongs to; 401 for a bad, expired or revoked token. */
  async verify(token: string): Promise<AuthUser> {
    let claims: TokenClaims;
    try {
      claims = this.jwt.verify<TokenClaims>(token);
    } catch {
      throw Errors.unauthorized('Invalid or expired token');
    }
    if (typeof claims.sub !== 'string' || typeof claims.company_id !== 'string') throw Errors.unauthorized('Invalid or expired token');
    const user = await this.users.active(claims.sub, claims.company_id);
    if (!user) throw Errors.unauthorized('This account is disabled or no longer exists');
    return user;
  }

  /** The bearer token of a request, if it sent one. */
  bearer(request: FastifyRequest): string | undefined {
    const header = request.headers.authorization;
    if (!header) return undefined;
    const match = /^Bearer ([A-Za-z0-9_.+/=-]{1,4096})$/i.exec(header.trim());
    return match?.[1];
  }
}

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/**
 * `config.rateLimit` for agent routes: counted per signed-in account (a whole office may share one
 * address), per address for requests that carry no valid token (those are refused first anyway).
 */
export function perAccount(max: number) {
  return {
    max,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) => {
      const user = request.user as AuthUser | undefined;
      return user?.id ? `user:${user.id}` : `ip:${request.ip}`;
    },
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthService;
    /** `onRequest` hook: 401 unless the request carries a valid token of an enabled account. */
    authenticate: Hook;
    /** `onRequest` hook: authenticates, then 403 unless the account has at least `role`. */
    requireRole: (role: UserRole) => Hook;
  }
}

export default fp(
  async (app) => {
    const auth = new AuthService(app.jwt, app.users);
    const authenticate: Hook = async (request) => {
      const token = auth.bearer(request);
      if (!token) throw Errors.unauthorized();
      request.user = await auth.verify(token);
    };
    app.decorate('auth', auth);
    app.decorate('authenticate', authenticate);
    app.decorate('requireRole', (role: UserRole): Hook => async (request, reply) => {
      await authenticate(request, reply);
      if (!hasRole(request.user.role, role)) throw Errors.forbidden(`This needs the ${role} role`);
    });
  },
  { name: 'auth', dependencies: ['jwt', 'users'] },
);
