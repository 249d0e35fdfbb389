import type { ApiError, FlowProblem } from '@parley/protocol';

/** A failed API call: the server's coded error body, or a network failure (`status` 0). */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** A flow refused by the server: every problem, pinned to its step (the same list the builder shows). */
    readonly problems: FlowProblem[] = [],
  ) {
    super(message);
  }

  /** Builds the error from a response, reading the `{statusCode, code, error, message}` body when there is one. */
  static async from(response: Response): Promise<ApiRequestError> {
    let body: Partial<ApiError> & { problems?: FlowProblem[] } = {};
    try {
      body = (await response.json()) as Partial<ApiError> & { problems?: FlowProblem[] };
    } catch {
      // Not JSON (a proxy's error page): keep the status line.
    }
    const problems = Array.isArray(body.problems) ? body.problems : [];
    return new ApiRequestError(response.status, body.code ?? 'http_error', body.message ?? (response.statusText || `HTTP ${response.status}`), problems);
  }
}

/** A short message for people from anything thrown by an API call. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiRequestError) return error.status === 0 ? 'Cannot reach the server.' : error.message;
  return error instanceof Error ? error.message : String(error);
}
