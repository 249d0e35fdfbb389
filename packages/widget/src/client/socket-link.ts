import { CloseCode, type VisitorServerFrame } from '../protocol.js';
import { backoffDelay } from './backoff.js';
import { socketUrl, type Link, type LinkHost } from './link.js';
import type { WebSocketConstructor } from './types.js';

/** Settings of a socket link. */
export interface SocketLinkOptions {
  server: string;
  site: string | undefined;
  WebSocket: WebSocketConstructor;
  minDelayMs: number;
  maxDelayMs: number;
  random: () => number;
  /** Whether to give up on WebSockets after failing to open two in a row without ever opening one. */
  canFallBack: boolean;
}

const HEARTBEAT_MS = 25_000;
const SILENCE_MS = 70_000;

/** Error codes that refuse a `hello` for now (not for good): it is said again after a pause. */
const RETRY_HELLO = new Set<string>(['internal', 'unavailable', 'rate_limited']);

/**
 * The visitor WebSocket (docs/protocol.md): `hello` with the session and last sequence number on
 * every connection, a resend of every unacknowledged message after `welcome`, and reconnects with
 * exponential backoff and jitter. Close code 1001 (server restarting) reconnects almost at once.
 */
export class SocketLink implements Link {
  private socket: WebSocket | undefined;
  private welcomed = false;
  private attempts = 0;
  private openedOnce = false;
  private failedOpens = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private stopped = true;

  constructor(
    private readonly host: LinkHost,
    private readonly options: SocketLinkOptions,
  ) {}

  open(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.connect();
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.drop();
  }

  wake(): void {
    if (this.stopped || this.socket) return;
    clearTimeout(this.timer);
    this.connect();
  }

  flush(): void {
    if (!this.welcomed) return;
    for (const entry of this.host.sendable()) {
      const { id } = entry;
      this.send(
        entry.kind === 'text'
          ? { type: 'message', id, text: entry.text }
          : entry.kind === 'action'
            ? { type: 'action', id, value: entry.value }
            : entry.kind === 'form'
              ? { type: 'form', id, form: entry.form, values: entry.values }
              : { type: 'handoff', id },
      );
    }
  }

  identify(): void {
    if (this.welcomed && this.host.claim) this.send({ type: 'identify', ...this.host.claim });
  }

  attributes(): void {
    const attributes = this.welcomed ? this.host.takeAttributes() : undefined;
    if (attributes) this.send({ type: 'attributes', attributes });
  }

  typing(on: boolean): void {
    if (this.welcomed) this.send({ type: 'typing', on });
  }

  private connect(): void {
    this.host.setConnection(this.attempts === 0 && !this.openedOnce ? 'connecting' : 'reconnecting');
    let socket: WebSocket;
    try {
      socket = new this.options.WebSocket(socketUrl(this.options.server, this.options.site));
    } catch {
      this.retry(false);
      return;
    }
    this.socket = socket;
    this.welcomed = false;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.openedOnce = true;
      this.failedOpens = 0;
      this.lastHeard = Date.now();
      this.hello();
      this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    };
    socket.onmessage = (event: MessageEvent) => {
      if (socket !== this.socket) return;
      this.lastHeard = Date.now();
      let frame: VisitorServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as VisitorServerFrame;
      } catch {
        return;
      }
      this.onFrame(frame);
    };
    socket.onclose = (event: CloseEvent) => {
      if (socket !== this.socket) return;
      this.drop();
      if (this.stopped) return;
      if (event.code === CloseCode.sessionClosed) {
        this.host.forgetSession();
        this.attempts = 0;
        this.connect();
        return;
      }
      this.retry(opened, event.code === CloseCode.goingAway);
    };
    socket.onerror = () => {
      // A close event always follows; the retry happens there.
    };
  }

  private onFrame(frame: VisitorServerFrame): void {
    if (!this.welcomed && frame.type === 'error' && frame.code === 'not_found' && !frame.id) {
      // The saved session is unknown here (another server, a wiped database): start afresh.
      this.host.forgetSession();
      this.hello();
      return;
    }
    if (!this.welcomed && frame.type === 'error' && !frame.id && RETRY_HELLO.has(frame.code)) {
      // The server could not take the hello now (a write it had to refuse, a limit): say it
      // again after a pause, backing off as reconnects do, on the same connection.
      const socket = this.socket;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        if (socket === this.socket && !this.welcomed) this.hello();
      }, backoffDelay(this.attempts++, this.options.minDelayMs, this.options.maxDelayMs, this.options.random));
      return;
    }
    if (frame.type === 'welcome') {
      this.welcomed = true;
      this.attempts = 0;
      this.host.receive(frame);
      this.host.setConnection('online');
      this.flush();
      this.attributes();
      return;
    }
    this.host.receive(frame);
  }

  private hello(): void {
    const { session, lastSeq, locale, claim } = this.host;
    this.send({
      type: 'hello',
      ...(session ? { session, last_seq: lastSeq } : {}),
      ...(locale ? { locale } : {}),
      ...(claim ? { identity: claim } : {}),
    });
  }

  private beat(): void {
    if (Date.now() - this.lastHeard > SILENCE_MS) {
      this.socket?.close(4000, 'silent');
      return;
    }
    this.send({ type: 'ping', t: Date.now() });
  }

  private retry(opened: boolean, soon = false): void {
    if (!opened && !this.openedOnce && this.options.canFallBack && ++this.failedOpens >= 2) {
      this.stopped = true;
      this.host.fallBack();
      return;
    }
    this.host.setConnection('reconnecting');
    const delay = soon && this.attempts === 0 ? 100 + this.options.random() * 400 : backoffDelay(this.attempts, this.options.minDelayMs, this.options.maxDelayMs, this.options.random);
    this.attempts++;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), delay);
  }

  private drop(): void {
    clearInterval(this.heartbeat);
    const socket = this.socket;
    this.socket = undefined;
    this.welcomed = false;
    if (socket && socket.readyState <= 1) {
      socket.onclose = null;
      try {
        socket.close(CloseCode.normal);
      } catch {
        // already closing
      }
    }
  }

  private send(frame: object): void {
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(frame));
  }
}
