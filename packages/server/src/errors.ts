import type { ErrorCode } from '@parley/protocol';

/**
 * An error the client should see: a code from the protocol, a message, an HTTP status.
 * The error handler shows the message of 4xx errors and hides that of 5xx ones.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly statusCode: number,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** Named constructors for every error a handler may throw. */
export const Errors = {
  badRequest: (message: string) => new AppError('bad_request', message, 400),
  validation: (message: string) => new AppError('validation_failed', message, 400),
  unauthorized: (message = 'Authentication required') => new AppError('unauthorized', message, 401),
  forbidden: (message = 'Not allowed') => new AppError('forbidden', message, 403),
  notFound: (message = 'Not found') => new AppError('not_found', message, 404),
  sessionClosed: (message = 'This conversation is closed. Please start a new one.') =>
    new AppError('session_closed', message, 404),
  conflict: (message: string) => new AppError('conflict', message, 409),
  payloadTooLarge: (message = 'Payload too large') => new AppError('payload_too_large', message, 413),
  unsupportedMediaType: (message: string) => new AppError('unsupported_media_type', message, 415),
  rateLimited: (message = 'Too many requests, please slow down') => new AppError('rate_limited', message, 429),
  unavailable: (message = 'Service unavailable') => new AppError('unavailable', message, 503),
} as const;

/** True for errors made by `Errors`. */
export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
