import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One webhook request as the drill's receiver got it, in arrival order per endpoint. */
export interface SinkArrival {
  eventId: string;
  type: string;
  companyId: string;
  /** `message.created` only: where and which message. */
  conversationId?: string;
  seq?: number;
  messageId?: string;
  /** `webhook-signature` matched the endpoint's secret (Standard Webhooks). */
  signed: boolean;
}

/** Verifies `webhook-signature` the way docs/webhooks.md shows (HMAC-SHA256 of `id.timestamp.body`). */
function signedWith(secret: string, raw: string, headers: IncomingHttpHeaders): boolean {
  const id = String(headers['webhook-id'] ?? '');
  const timestamp = String(headers['webhook-timestamp'] ?? '');
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${raw}`).digest();
  return String(headers['webhook-signature'] ?? '')
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .some((part) => {
      const given = Buffer.from(part.slice(3), 'base64');
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

/**
 * The drill's webhook receiver: one loopback HTTP server, one path per endpoint
 * (`/hooks/<name>`), answering 200 at once and keeping every request in arrival order, with its
 * signature checked against the endpoint's secret.
 */
export class WebhookSink {
  /** Endpoint name -> requests in arrival order. */
  readonly arrivals = new Map<string, SinkArrival[]>();
  private readonly secrets = new Map<string, string>();
  private readonly server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const name = (req.url ?? '').replace(/^\/hooks\//, '');
      try {
        const body = JSON.parse(raw) as { id: string; type: string; company_id: string; data: { conversation_id?: string; message?: { seq: number; id: string } } };
        const list = this.arrivals.get(name) ?? [];
        this.arrivals.set(name, list);
        list.push({
          eventId: body.id,
          type: body.type,
          companyId: body.company_id,
          ...(body.type === 'message.created' ? { conversationId: body.data.conversation_id!, seq: body.data.message!.seq, messageId: body.data.message!.id } : {}),
          signed: signedWith(this.secrets.get(name) ?? '', raw, req.headers),
        });
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      } catch {
        res.writeHead(400).end('bad body');
      }
    });
  });
  port = 0;

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The URL to register for endpoint `name`. */
  url(name: string): string {
    return `http://127.0.0.1:${this.port}/hooks/${name}`;
  }

  /** The signing secret the endpoint was given (shown once when it was made). */
  useSecret(name: string, secret: string): void {
    this.secrets.set(name, secret);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
