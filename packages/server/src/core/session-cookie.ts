import type { FastifyReply, FastifyRequest } from 'fastify';

/** Name of the HttpOnly cookie that carries the component chat API's session. */
export const SESSION_COOKIE = 'parley_session';

/** Sets the session cookie: HttpOnly, SameSite=Lax, scoped to /api, 30 days. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: request.protocol === 'https',
    path: '/api',
    maxAge: 30 * 24 * 3600,
  });
}

/** The session from the body (preferred) or the cookie. */
export function sessionFrom(request: FastifyRequest, fromBody: string | undefined): string | undefined {
  return fromBody ?? request.cookies[SESSION_COOKIE];
}
