import { createHmac } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, privateHostProblem } from '../lib/net-guard.js';

/** How one webhook request ended. */
export interface PostResult {
  /** The receiver's HTTP status; undefined when no answer came. */
  statusCode?: number | undefined;
  /** Why it failed (no answer, a non-2xx status, a redirect), in plain words. */
  error?: string | undefined;
  /** The start of the answer's body (at most `MAX_RESPONSE_CHARS`). */
  responseBody?: string | undefined;
  durationMs: number;
}

/** Characters of a receiver's answer kept for the delivery log. */
const MAX_RESPONSE_CHARS = 1024;

/**
 * The legacy signature of a webhook body (kept one release beside the Standard Webhooks headers
 * for existing receivers; see docs/webhooks.md): hex HMAC-SHA256 of `${timestamp}.${body}` keyed with the
 * endpoint's secret. Sent as `X-Parley-Signature: v1=<hex>` beside `X-Parley-Timestamp`.
 */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * The legacy `X-Parley-Signature` value (deprecated, sent one more release): one `v1=<hex>` per secret, comma-separated, the current secret
 * first. Two during a rotation's grace period, so receivers holding either secret accept it.
 *
 * @example signatureHeader([current, previous], 1795500969, body) // 'v1=5b0e…,v1=9c41…'
 */
export function signatureHeader(secrets: readonly string[], timestamp: number, body: string): string {
  return secrets.map((secret) => `v1=${webhookSignature(secret, timestamp, body)}`).join(',');
}

/**
 * The HMAC key of a signing secret under Standard Webhooks (https://www.standardwebhooks.com):
 * the bytes that the base64 after `whsec_` encodes. Secrets made before the switch use the
 * URL-safe alphabet; Node decodes both alphabets to the same bytes.
 */
export function standardWebhookKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
}

/**
 * The Standard Webhooks `webhook-signature` value: one `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` per secret, separated by spaces, the current secret first. Any verifier of
 * the specification (in any language) accepts a request when one of them matches its secret.
 *
 * @example standardSignatureHeader([current, previous], 'evt_9f4c…', 1795500969, body) // 'v1,K5oZ… v1,Bf3q…'
 */
export function standardSignatureHeader(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets
    .map((secret) => `v1,${createHmac('sha256', standardWebhookKey(secret)).update(`${id}.${timestamp}.${body}`).digest('base64')}`)
    .join(' ');
}

/**
 * Posts a JSON body to a webhook endpoint: no redirects followed, private addresses refused
 * (unless `allowPrivate`), the whole exchange bounded by `timeoutMs`, at most 1 KB of the answer
 * read. Never throws: every failure is a `PostResult` with `error`.
 */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean; signal?: AbortSignal | undefined },
): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const finish = (result: Omit<PostResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (onAbort) options.signal?.removeEventListener('abort', onAbort);
      resolve({ ...result, durationMs: elapsed() });
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return finish({ error: 'The URL is not valid' });
    }
    const problem = options.allowPrivate ? undefined : privateHostProblem(target);
    if (problem) return finish({ error: `Refused: ${problem}` });
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers },
      ...(options.allowPrivate ? {} : { lookup: guardedLookup }),
    });
    // First: every way below of giving up destroys the request, which then emits 'error'.
    req.on('error', (error: NodeJS.ErrnoException) => finish({ error: describe(error) }));
    timer = setTimeout(() => {
      req.destroy();
      finish({ error: `No answer within ${options.timeoutMs} ms` });
    }, options.timeoutMs);
    onAbort = () => {
      req.destroy();
      finish({ error: 'The server is shutting down' });
    };
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
        if (text.length >= MAX_RESPONSE_CHARS) res.destroy();
      });
      const done = () => {
        const responseBody = text.slice(0, MAX_RESPONSE_CHARS) || undefined;
        if (status >= 200 && status < 300) return finish({ statusCode: status, responseBody });
        const error = status >= 300 && status < 400 ? `Answered ${status}: redirects are not followed` : `Answered ${status}`;
        finish({ statusCode: status, responseBody, error });
      };
      res.on('end', done);
      res.on('close', done);
      res.on('error', done);
    });
    req.end(body);
  });
}

function describe(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'EPRIVATE':
      return `Refused: ${error.message}`;
    case 'ECONNREFUSED':
      return 'Connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'The host name does not resolve';
    case 'ECONNRESET':
      return 'The connection was reset';
    default:
      return error.message || 'The request failed';
  }
}
