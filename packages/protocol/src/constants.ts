/**
 * Plain values of the protocol (close codes and size limits) without its schemas: a client that
 * only needs `4401` or a size cap imports `@parley/protocol/constants` and gets no TypeBox in its
 * bundle. The main entry re-exports everything here.
 */
export { AttributeLimits, Limits } from './limits.js';

/** WebSocket close codes of both sockets. */
export const CloseCode = {
  /** A client closing on purpose (leaving the page, signing out): the server does nothing more. */
  normal: 1000,
  /** Server shutting down or restarting: reconnect and resume. */
  goingAway: 1001,
  /**
   * Policy: flooding, too many malformed frames, a slow consumer. (A bad origin is refused with
   * 403 before the upgrade; a missed pong terminates the socket without a close frame: 1006.)
   */
  policy: 1008,
  /** A frame over `Limits.maxFrameBytes`. */
  tooBig: 1009,
  /** Agent socket: the token expired, or the account was disabled or deleted. Sign in again. */
  unauthorized: 4401,
  /** The session was closed for good, or its conversation deleted: start a new one. */
  sessionClosed: 4404,
} as const;

/**
 * How long a `typing` frame with `on: true` lasts: a receiver drops it after `ttlMs` without a
 * refresh, and a sender that is still typing sends it again every `refreshMs`. So a "typing…"
 * never outlives a closed tab, a lost frame or a node that died, and no node keeps it.
 */
export const Typing = {
  ttlMs: 8000,
  refreshMs: 4000,
} as const;
