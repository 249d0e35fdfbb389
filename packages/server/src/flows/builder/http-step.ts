import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HttpStep } from '@parley/protocol';
import { guardedLookup, privateHostProblem } from '../../lib/net-guard.js';
import type { Sealer } from '../../lib/sealed.js';
import type { FlowVars, HttpOutcome } from '../engine.js';
import { lookup } from '../interpolate.js';
import { openHeader } from './secrets.js';

/** An answer larger than this is refused: a bot needs a few fields, not a data dump. */
export const MAX_HTTP_ANSWER_BYTES = 256 * 1024;
/** The default time an endpoint gets, connect to last byte. */
export const DEFAULT_HTTP_TIMEOUT_MS = 5000;

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*\}\}/g;

function plain(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return 'name' in value ? String((value as { name: unknown }).name) : JSON.stringify(value);
  return String(value);
}

/** Fills `{{variables}}` with `encode` applied to each value (URL-encoding, JSON-escaping). */
function fill(template: string, vars: FlowVars, encode: (s: string) => string): string {
  return template.replace(PLACEHOLDER, (_, path: string) => encode(plain(lookup(vars, path))));
}

/** A value JSON-escaped without its quotes: `"{{name}}"` in a body stays one valid JSON string. */
const jsonEscape = (s: string) => JSON.stringify(s).slice(1, -1);
/** Header values may not carry line breaks (header injection). */
const headerSafe = (s: string) => s.replace(/[\r\n]+/g, ' ');

/** Reads a dotted path (`order.items`) from a JSON answer; the answer itself for an empty path. */
function at(answer: unknown, path: string): unknown {
  return path === '' ? answer : lookup({ answer }, `answer.${path}`);
}

/** The variables an answer sets: `map` fields, and `products` as a product list. */
export function mapAnswer(step: HttpStep, answer: unknown): FlowVars {
  const vars: FlowVars = {};
  for (const [name, path] of Object.entries(step.map ?? {})) {
    const value = at(answer, path);
    vars[name] = value !== null && typeof value === 'object' ? JSON.parse(JSON.stringify(value)) : value;
  }
  const map = step.products;
  if (map) {
    const list = at(answer, map.list);
    vars[map.var] = (Array.isArray(list) ? list : [])
      .slice(0, 50)
      .map((item) => {
        const name = at(item, map.name);
        const price = Number(at(item, map.price));
        if (typeof name !== 'string' || !name || !Number.isFinite(price) || price < 0) return undefined;
        const quantity = map.quantity ? Number(at(item, map.quantity)) : 1;
        const image = map.image ? at(item, map.image) : undefined;
        const description = map.description ? at(item, map.description) : undefined;
        return {
          name: name.slice(0, 200),
          price,
          quantity: Number.isInteger(quantity) && quantity >= 0 ? quantity : 1,
          ...(typeof image === 'string' && /^https?:\/\//.test(image) ? { image: image.slice(0, 2048) } : {}),
          ...(typeof description === 'string' ? { description: description.slice(0, 500) } : {}),
        };
      })
      .filter((p) => p !== undefined);
  }
  return vars;
}

/**
 * Makes an `http` step's request: `{{variables}}` filled in (URL-encoded in the URL, JSON-escaped
 * in the body), sealed header values opened, no redirects followed, private and loopback
 * addresses refused unless `allowPrivate` (the webhooks' `PARLEY_WEBHOOKS_ALLOW_PRIVATE`), the
 * whole exchange bounded by the step's timeout. A 2xx JSON answer becomes variables; anything else
 * is an error outcome. Never throws.
 */
export function runHttpStep(step: HttpStep, vars: FlowVars, sealer: Sealer, options: { allowPrivate: boolean }): Promise<HttpOutcome> {
  return new Promise<HttpOutcome>((resolve) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (outcome: HttpOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    let target: URL;
    try {
      target = new URL(fill(step.url, vars, encodeURIComponent));
    } catch {
      return finish({ ok: false, error: 'The URL is not valid' });
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return finish({ ok: false, error: 'Only http and https URLs can be called' });
    const problem = options.allowPrivate ? undefined : privateHostProblem(target);
    if (problem) return finish({ ok: false, error: `Refused: ${problem}` });
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [name, value] of Object.entries(step.headers ?? {})) {
      const opened = openHeader(value, sealer);
      if (opened === undefined) return finish({ ok: false, error: `The secret of header ${name} can no longer be read; type it again` });
      headers[name] = headerSafe(fill(opened, vars, (s) => s));
    }
    const body = step.body === undefined ? undefined : fill(step.body, vars, jsonEscape);
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const timeoutMs = step.timeout_ms ?? DEFAULT_HTTP_TIMEOUT_MS;
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: step.method, headers, ...(options.allowPrivate ? {} : { lookup: guardedLookup }) });
    timer = setTimeout(() => {
      req.destroy();
      finish({ ok: false, error: `No answer within ${timeoutMs} ms` });
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish({ ok: false, error: error.code === 'EPRIVATE' ? `Refused: ${error.message}` : 'The endpoint could not be reached' }));
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        res.resume();
        return finish({ ok: false, error: `Answered ${status}` });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_HTTP_ANSWER_BYTES) {
          res.destroy();
          finish({ ok: false, error: 'The answer is too large' });
        } else chunks.push(chunk);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let answer: unknown;
        try {
          answer = text === '' ? null : JSON.parse(text);
        } catch {
          return finish({ ok: false, error: 'The answer is not JSON' });
        }
        finish({ ok: true, vars: mapAnswer(step, answer) });
      });
      res.on('error', () => finish({ ok: false, error: 'The answer was cut off' }));
    });
    req.end(body);
  });
}
