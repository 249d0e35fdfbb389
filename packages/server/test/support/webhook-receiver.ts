import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookPayload } from '@parley/protocol';
import { Webhook } from 'standardwebhooks';
import { onCleanup } from '../helper.js';

/** One request the receiver got, with its signature checked the way docs/webhooks.md tells receivers to. */
export interface Received {
  headers: IncomingMessage['headers'];
  raw: string;
  body: WebhookPayload;
  /** The legacy `X-Parley-Signature` matched `${timestamp}.${raw}` with the secret the receiver was given. */
  signatureOk: boolean;
  /** The Standard Webhooks reference verifier (the `standardwebhooks` package) accepted it with that secret. */
  standardOk: boolean;
  /** The timestamp is within five minutes of now. */
  fresh: boolean;
  at: number;
}

/** What the receiver answers: a status (200 by default), after a delay or once `after` settles, or never (hang). */
export interface Answer {
  status?: number;
  delayMs?: number;
  after?: Promise<unknown>;
  hang?: boolean;
  body?: string;
}

/** Verifies a Parley webhook exactly as the Node snippet in docs/webhooks.md does. */
export function verifyParleySignature(raw: string, headers: IncomingMessage['headers'], secret: string, toleranceS = 300): { ok: boolean; fresh: boolean } {
  const timestamp = Number(headers['x-parley-timestamp']);
  const header = String(headers['x-parley-signature'] ?? '');
  const expected = createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest();
  const ok = header
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith('v1='))
    .some((part) => {
      const given = Buffer.from(part.slice(3), 'hex');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
  return { ok, fresh: Number.isFinite(timestamp) && Math.abs(Date.now() / 1000 - timestamp) <= toleranceS };
}

/** Verifies the Standard Webhooks headers with the specification's own JavaScript verifier. */
export function verifyStandardWebhook(raw: string, headers: IncomingMessage['headers'], secret: string): boolean {
  try {
    new Webhook(secret).verify(raw, headers as Record<string, string>);
    return true;
  } catch {
    return false;
  }
}

/**
 * A webhook receiver on loopback: records every request, checks its signature with `secret`, and
 * answers as `plan` says (per request, in arrival order).
 */
export async function startReceiver(plan: (request: Received, index: number) => Answer = () => ({})) {
  const received: Received[] = [];
  let secret = '';
  let current = plan;
  const hanging: ServerResponse[] = [];
  const waiters: Array<() => void> = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const check = verifyParleySignature(raw, req.headers, secret);
      const entry: Received = { headers: req.headers, raw, body: JSON.parse(raw) as WebhookPayload, signatureOk: check.ok, standardOk: secret !== '' && verifyStandardWebhook(raw, req.headers, secret), fresh: check.fresh, at: Date.now() };
      received.push(entry);
      for (const wake of waiters.splice(0)) wake();
      const answer = current(entry, received.length - 1);
      if (answer.hang) {
        hanging.push(res);
        return;
      }
      const reply = () => setTimeout(() => res.writeHead(answer.status ?? 200, { 'content-type': 'text/plain' }).end(answer.body ?? 'ok'), answer.delayMs ?? 0);
      if (answer.after) void answer.after.finally(reply);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  onCleanup(close);
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    received,
    close,
    /** The secret to check signatures with (shown once when the endpoint is made). */
    useSecret(value: string) {
      secret = value;
    },
    answer(next: typeof plan) {
      current = next;
    },
    /** Waits until at least `count` requests arrived (or matched `filter`). */
    async waitFor(count: number, filter: (r: Received) => boolean = () => true, timeoutMs = 10_000): Promise<Received[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = received.filter(filter);
        if (matching.length >= count) return matching;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${count} webhook requests; got ${JSON.stringify(received.map((r) => r.body.type))}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}
