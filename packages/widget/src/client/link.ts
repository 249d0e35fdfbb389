import type { IdentityClaim, PageAttributes, VisitorServerFrame } from '../protocol.js';
import type { ConnectionState, PendingMessage } from './types.js';

/** What a link (WebSocket or HTTP) needs from the client it serves. */
export interface LinkHost {
  readonly session: string | undefined;
  /** Highest sequence number received with nothing missing below it. */
  readonly lastSeq: number;
  readonly locale: string | undefined;
  /** An identity the server has not answered yet (sent in `hello`, or with `identify`). */
  readonly claim: IdentityClaim | undefined;
  /** The page attributes not sent yet; taking them marks them sent. */
  takeAttributes(): PageAttributes | undefined;
  /** Messages to (re)send, oldest first. */
  sendable(): PendingMessage[];
  /** A frame from the server (the HTTP link makes the same frames out of its answers). */
  receive(frame: VisitorServerFrame): void;
  setConnection(state: ConnectionState): void;
  /** The saved session is unknown or closed: start a new conversation. */
  forgetSession(): void;
  /** No WebSocket could ever open: switch to the HTTP API. */
  fallBack(): void;
}

/** A way to talk to the server. Both links resend queued messages with their ids after a reconnect. */
export interface Link {
  open(): void;
  close(): void;
  /** Sends what is queued, when connected; otherwise it goes out after the next `welcome`. */
  flush(): void;
  typing(on: boolean): void;
  /** Sends the host's identity claim now, when connected (otherwise it goes with the next `hello`). */
  identify(): void;
  /** Sends the page attributes not sent yet, when connected (otherwise right after the next `welcome`). */
  attributes(): void;
  /** Reconnect now (the browser came back online), skipping the backoff delay. */
  wake(): void;
}

/** `http(s)://host/base` to `ws(s)://host/base/ws?site=KEY`. */
export function socketUrl(server: string, site: string | undefined): string {
  const url = new URL('ws', server.endsWith('/') ? server : `${server}/`);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (site) url.searchParams.set('site', site);
  return url.href;
}

/** An absolute URL of an API path on the server. */
export function apiUrl(server: string, path: string, query: Record<string, string | number | undefined> = {}): string {
  const url = new URL(path.replace(/^\//, ''), server.endsWith('/') ? server : `${server}/`);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  return url.href;
}

/** Closes a session on the server (best effort: a visitor logging out offline is not an error). */
export async function closeSession(server: string, session: string, fetchFn: typeof fetch): Promise<void> {
  await fetchFn(apiUrl(server, '/api/session-close/'), {
    method: 'POST',
    credentials: 'omit',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ chatbot_session: session }),
  }).catch(() => undefined);
}

/** `url` made absolute against the server; undefined unless it is http(s). */
export function resolveHttpUrl(url: string, server: string): string | undefined {
  try {
    const resolved = new URL(url, server);
    return resolved.protocol === 'https:' || resolved.protocol === 'http:' ? resolved.href : undefined;
  } catch {
    return undefined;
  }
}
