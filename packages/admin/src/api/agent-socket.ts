import type { AgentClientFrame, AgentServerFrame } from '@parley/protocol';
import { CloseCode } from '@parley/protocol/constants';
import { backoffDelay } from '../lib/observable.js';

/** Where the socket is: never opened, opening, open, waiting to retry, or stopped for good. */
export type SocketState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The parts of a WebSocket the agent socket uses (the browser's, or `ws` in Node tests). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: { code: number }) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

/** Options of {@link AgentSocket}. */
export interface AgentSocketOptions {
  /** The `/ws/agent` URL without the token, e.g. `wss://chat.example/ws/agent`. */
  url: string;
  /** The JWT, read on every connect so a fresh login is used. */
  token: () => string | undefined;
  onFrame: (frame: AgentServerFrame) => void;
  /** Called on every state change; `opened` is true each time the socket (re)opens. */
  onState?: (state: SocketState) => void;
  /** Called when a connection closed before its `ready` frame (a refused token looks like this: check it). */
  onRefused?: () => void;
  /** Called when the server closes with 4401: the token expired or the account was disabled. No retry follows. */
  onUnauthorized?: () => void;
  /** The WebSocket constructor (tests pass `ws`). */
  WebSocket?: new (url: string) => SocketLike;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Heartbeat period; a connection silent for two periods is dropped and reopened. */
  pingMs?: number;
}

/** The `/ws/agent` URL of the page's own origin (`ws:` or `wss:` as the page is served). */
export function pageSocketUrl(): string {
  const { protocol, host } = globalThis.location ?? { protocol: 'http:', host: 'localhost' };
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}/ws/agent`;
}

const OPEN = 1;

/**
 * The agent's real-time channel: opens `/ws/agent?token=JWT`, parses frames, sends a ping
 * heartbeat, and reconnects with jittered exponential backoff until {@link AgentSocket.stop}.
 * Frames sent while closed are dropped (callers fall back to REST); state tells them when.
 */
export class AgentSocket {
  state: SocketState = 'idle';
  private socket: SocketLike | undefined;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  private lastHeard = 0;
  private gotFrame = false;

  constructor(private readonly options: AgentSocketOptions) {}

  /** Opens the socket (again) now, replacing one still connecting. */
  start(): void {
    clearTimeout(this.retryTimer);
    this.discard('retry');
    this.open();
  }

  /** Closes the socket and stops reconnecting. */
  stop(): void {
    clearTimeout(this.retryTimer);
    this.discard('bye');
    this.setState('closed');
  }

  private discard(reason: string): void {
    clearInterval(this.pingTimer);
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return;
    socket.onclose = socket.onmessage = socket.onerror = socket.onopen = null;
    socket.close(CloseCode.normal, reason);
  }

  /** Sends a frame; returns false when the socket is not open (the caller falls back to REST). */
  send(frame: AgentClientFrame): boolean {
    if (!this.socket || this.socket.readyState !== OPEN || this.state !== 'open') return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Drops the current connection as if the network failed (it reconnects with backoff). */
  drop(): void {
    this.socket?.close(4000, 'dropped');
  }

  private open(): void {
    const token = this.options.token();
    if (!token) return this.setState('closed');
    const Ctor = this.options.WebSocket ?? (globalThis.WebSocket as unknown as new (url: string) => SocketLike);
    const socket = new Ctor(`${this.options.url}?token=${encodeURIComponent(token)}`);
    this.socket = socket;
    this.gotFrame = false;
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    socket.onopen = () => {
      this.lastHeard = Date.now();
      this.startHeartbeat();
    };
    socket.onmessage = (event) => {
      this.lastHeard = Date.now();
      let frame: AgentServerFrame;
      try {
        frame = JSON.parse(String(event.data)) as AgentServerFrame;
      } catch {
        return;
      }
      if (frame.type === 'ready') {
        this.attempt = 0;
        this.gotFrame = true;
        this.setState('open');
      }
      if (frame.type !== 'pong') this.options.onFrame(frame);
    };
    socket.onerror = () => {
      // The close event follows; reconnecting happens there.
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      clearInterval(this.pingTimer);
      this.socket = undefined;
      if (event.code === CloseCode.unauthorized) {
        this.setState('closed');
        this.options.onUnauthorized?.();
        return;
      }
      this.scheduleRetry();
      if (!this.gotFrame) this.options.onRefused?.();
    };
  }

  private scheduleRetry(): void {
    const delay = backoffDelay(this.attempt, this.options.minDelayMs ?? 500, this.options.maxDelayMs ?? 15_000);
    this.attempt++;
    this.setState('reconnecting');
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private startHeartbeat(): void {
    clearInterval(this.pingTimer);
    const period = this.options.pingMs ?? 20_000;
    this.pingTimer = setInterval(() => {
      if (Date.now() - this.lastHeard > period * 2) return this.drop();
      this.send({ type: 'ping', t: Date.now() });
    }, period);
  }

  private setState(state: SocketState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onState?.(state);
  }
}
