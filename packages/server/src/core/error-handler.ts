import { STATUS_CODES } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { UNEXPECTED_ERROR_REPLY, type ApiError, type ChatbotReply, type ErrorCode } from '@parley/protocol';
import { isAppError } from '../errors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer errors in the component chat API's BOT shape instead of the API error shape. */
    botErrors?: boolean;
  }
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

/** Library errors whose status code is not the one a client should see. */
const STATUS_BY_LIBRARY_CODE: Record<string, number> = {
  FST_INVALID_MULTIPART_CONTENT_TYPE: 415,
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 415,
  FST_REQ_FILE_TOO_LARGE: 413,
  FST_FILES_LIMIT: 413,
  FST_PARTS_LIMIT: 413,
  FST_FIELDS_LIMIT: 413,
  FST_PROTO_VIOLATION: 400,
};

/** The status, code and client-facing message of any error. 5xx messages never leak internals. */
export function describeError(error: FastifyError | Error): { statusCode: number; code: ErrorCode; message: string } {
  if (isAppError(error)) return { statusCode: error.statusCode, code: error.code, message: error.message };
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    return { statusCode: 400, code: 'validation_failed', message: fastifyError.message };
  }
  const statusCode = STATUS_BY_LIBRARY_CODE[fastifyError.code] ?? fastifyError.statusCode ?? 500;
  if (statusCode >= 500 || statusCode < 400) {
    return { statusCode: statusCode >= 500 ? statusCode : 500, code: statusCode === 503 ? 'unavailable' : 'internal', message: 'Internal Server Error' };
  }
  return { statusCode, code: CODE_BY_STATUS[statusCode] ?? 'bad_request', message: fastifyError.message };
}

function botBody(statusCode: number, code: ErrorCode, message: string): ChatbotReply {
  if (statusCode >= 500) return UNEXPECTED_ERROR_REPLY;
  return { BOT: { components: [{ type: 'error', payload: { text: message } }] }, is_terminal: code === 'session_closed' };
}

function send(request: FastifyRequest, reply: FastifyReply, statusCode: number, code: ErrorCode, message: string) {
  reply.code(statusCode).type('application/json; charset=utf-8');
  if (request.routeOptions.config?.botErrors) return reply.send(botBody(statusCode, code, message));
  const body: ApiError = { statusCode, code, error: STATUS_CODES[statusCode] ?? 'Error', message };
  return reply.send(body);
}

/**
 * One error handler for the whole app: the documented error shape and the right status for every
 * failure, details for 4xx, none for 5xx (those are logged with their stack instead).
 */
export default fp(
  async (app) => {
    app.setErrorHandler((error: FastifyError, request, reply) => {
      const { statusCode, code, message } = describeError(error);
      if (statusCode >= 500) request.log.error({ err: error }, 'request failed');
      else request.log.debug({ err: error }, 'request rejected');
      if (statusCode === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
      return send(request, reply, statusCode, code, message);
    });
    app.setNotFoundHandler((request, reply) =>
      send(request, reply, 404, 'not_found', `Route ${request.method} ${request.url.split('?')[0]} not found`),
    );
  },
  { name: 'error-handler' },
);
