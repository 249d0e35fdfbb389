import { Type, type Static } from 'typebox';
import { Strict } from './strict.js';

/** Machine-readable error codes used by HTTP error bodies and WebSocket `error` frames. */
export const ErrorCode = Type.Union([
  Type.Literal('bad_request'),
  Type.Literal('validation_failed'),
  Type.Literal('unauthorized'),
  Type.Literal('forbidden'),
  Type.Literal('not_found'),
  Type.Literal('session_closed'),
  Type.Literal('conflict'),
  Type.Literal('payload_too_large'),
  Type.Literal('unsupported_media_type'),
  Type.Literal('rate_limited'),
  Type.Literal('not_ready'),
  Type.Literal('internal'),
  Type.Literal('unavailable'),
]);
export type ErrorCode = Static<typeof ErrorCode>;

/**
 * The error body of every HTTP route except the component chat API (which answers errors in its
 * own BOT shape). 4xx messages say what was wrong; 5xx messages never reveal internals.
 *
 * @example { "statusCode": 404, "code": "not_found", "error": "Not Found", "message": "Conversation not found" }
 */
export const ApiError = Strict({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
});
export type ApiError = Static<typeof ApiError>;
