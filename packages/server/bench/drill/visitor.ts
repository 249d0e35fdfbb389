import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';

/** A message as this client knows it, by sequence number. */
export interface SeenMessage {
  role: string;
  clientId?: string;
  /** What the visitor typed (own messages, known from the ack). */
  text?: string;
  /** The stored components (messages received in full: replies, replays). */
  components?: string;
}

/** What went wrong on the client side of a drill; every count should stay 0. */
export interface VisitorProblems {
  /** A resend acknowledged with a different seq than the first ack. */
  ackMismatches: number;
  /** A message frame whose seq this client already had with different content. */
  conflictingFrames: number;
  /** `hello` with a session the server had already welcomed answered by `not_found`. */
  lostSessions: number;
  /** Error frames other than the retryable ones (`internal`, `rate_limited`, `unavailable`). */
  unexpectedErrors: string[];
  /** Message frames whose seq was not above the previous message frame's on the same socket. */
  outOfOrder: number;
}

const WORDS = ['order', 'parcel', 'refund', 'thanks', 'where', 'is', 'my', 'delivery', 'café', 'größe', 'ñandú', '日本', 'ok', '🙂'];

/** A random visitor text without HTML specials, so the stored text equals what was typed. */
function randomText(): string {
  const n = 1 + Math.floor(Math.random() * 12);
  return Array.from({ length: n }, () => WORDS[Math.floor(Math.random() * WORDS.length)]).join(' ') + ` #${Math.floor(Math.random() * 1e6)}`;
}

export interface DrillVisitorOptions {
  /** Messages this visitor sends in all (resends not counted). */
  messages: number;
  /** Messages in flight at once (sent, not acknowledged yet). */
  window: number;
  /** Chance that a fresh message is sent twice at once. */
  duplicateRate: number;
  /** Chance, per fresh message, of also resending an already acknowledged message. */
  replayOldRate: number;
  /** After each ack, wait a random time up to this before sending more (0: at once). */
  pauseMs: number;
  /**
   * At most this many fresh messages a second on average (each gap jittered ±50 %), like a person
   * typing; unset, only `window` and `pauseMs` pace the visitor.
   */
  perSecond?: number;
}

/** The drills' visitor: three messages in flight, 10% sent twice at once, 5% resending an old id. */
export const drillVisitorDefaults: Omit<DrillVisitorOptions, 'messages'> = { window: 3, duplicateRate: 0.1, replayOldRate: 0.05, pauseMs: 0 };

/**
 * A visitor that follows the protocol's reliability rules (docs/protocol.md) strictly: a fresh
 * random id per message kept until its ack, hello with `session` and `last_seq` on every
 * reconnect, every unacknowledged message resent with the same id. It keeps the transcript it
 * saw, by seq, to compare with the database at the end.
 */
export class DrillVisitor {
  session: string | undefined;
  conversationId: string | undefined;
  readonly seen = new Map<number, SeenMessage>();
  /** Client id -> seq, for every acknowledged message. */
  readonly acked = new Map<string, number>();
  /** Client id -> text, for every message sent and not acknowledged yet (in sending order). */
  readonly unacked = new Map<string, string>();
  /** Every client id this visitor generated, with its text. */
  readonly generated = new Map<string, string>();
  readonly problems: VisitorProblems = { ackMismatches: 0, conflictingFrames: 0, lostSessions: 0, unexpectedErrors: [], outOfOrder: 0 };
  /** Close codes of every connection, in order. */
  readonly closeCodes: number[] = [];
  /** Every error frame received, by code (the retryable ones included). */
  readonly errorCodes: Record<string, number> = {};
  /** Messages sent again after an `internal` or `rate_limited` error named them (docs/protocol.md). */
  resentAfterError = 0;
  /** `hello` sent again on the same socket after an `internal` error answered it. */
  helloRetries = 0;
  /** When the last frame arrived (`Date.now()`), and when this visitor last connected. */
  lastFrameAt = 0;
  connectedAt = 0;
  /** The local port of the current connection (a proxy in front tells the node by it). */
  localPort: number | undefined;
  connections = 0;
  private socket: WebSocket | undefined;
  /** The seq of the last message frame on the current socket (each socket's must rise). */
  private socketSeq = 0;
  private ready = false;
  private stopped = false;
  private sent = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private paceTimer: NodeJS.Timeout | undefined;
  /** With `perSecond`: not before this time (`Date.now()`) for the next fresh message. */
  private nextFreshAt = 0;

  constructor(
    private readonly url: string,
    readonly name: string,
    private readonly options: DrillVisitorOptions,
  ) {}

  /** All messages sent and acknowledged. */
  get done(): boolean {
    return this.sent >= this.options.messages && this.unacked.size === 0;
  }

  /** The highest seq such that this client has every message up to it. */
  contiguousSeq(): number {
    let seq = 0;
    while (this.seen.has(seq + 1)) seq++;
    return seq;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  /** Stops sending and reconnecting; closes the socket. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.paceTimer);
    this.paceTimer = undefined;
    this.socket?.terminate();
    this.socket = undefined;
  }

  /** Connects once more and asks for everything from `fromSeq` on; resolves when the replay is in. */
  async resync(fromSeq = 0): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearTimeout(this.paceTimer);
    this.socket?.terminate();
    const socket = new WebSocket(this.url, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: resync timed out`)), 15_000);
      let expected = Infinity;
      let socketSeq = 0;
      socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', session: this.session, last_seq: fromSeq })));
      socket.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.type === 'welcome') expected = frame.last_seq;
        else if (frame.type === 'message') {
          if (frame.message.seq <= socketSeq) this.problems.outOfOrder++;
          socketSeq = frame.message.seq;
          this.record(frame.message);
        }
        else if (frame.type === 'error') reject(new Error(`${this.name}: resync error ${frame.code}`));
        if (this.contiguousSeq() >= expected) {
          clearTimeout(timer);
          socket.close();
          resolve();
        }
      });
      socket.on('error', reject);
    });
  }

  private connect(): void {
    if (this.stopped) return;
    const socket = new WebSocket(this.url, { perMessageDeflate: false });
    this.socket = socket;
    this.socketSeq = 0;
    this.connections++;
    this.connectedAt = Date.now();
    this.localPort = undefined;
    socket.on('upgrade', (response) => (this.localPort = response.socket.localPort));
    socket.on('open', () => this.hello(socket));
    socket.on('message', (data) => this.onFrame(JSON.parse(data.toString())));
    socket.on('error', () => undefined);
    socket.on('unexpected-response', (request) => {
      request.destroy();
      socket.terminate();
    });
    socket.on('close', (code) => {
      if (this.socket !== socket) return;
      this.closeCodes.push(code);
      this.ready = false;
      this.socket = undefined;
      if (!this.stopped) this.reconnectTimer = setTimeout(() => this.connect(), 30 + Math.random() * 200);
    });
  }

  private hello(socket: WebSocket): void {
    const hello = this.session ? { type: 'hello', session: this.session, last_seq: this.contiguousSeq() } : { type: 'hello' };
    socket.send(JSON.stringify(hello));
  }

  /** What this visitor is doing, for a drill's report of one that stopped making progress. */
  describe(): string {
    const ago = (at: number) => (at ? `${Math.round((Date.now() - at) / 100) / 10} s ago` : 'never');
    return (
      `${this.name}: sent ${this.sent}, acked ${this.acked.size}, unacked ${this.unacked.size}, ready ${this.ready}, ` +
      `socket ${this.socket?.readyState ?? 'none'} (connected ${ago(this.connectedAt)}, ${this.connections} connections), ` +
      `last frame ${ago(this.lastFrameAt)}, errors ${JSON.stringify(this.errorCodes)}`
    );
  }

  private onFrame(frame: any): void {
    this.lastFrameAt = Date.now();
    switch (frame.type) {
      case 'welcome':
        if (this.session === undefined) {
          this.session = frame.session;
          this.conversationId = frame.conversation_id;
        }
        this.ready = true;
        // Resend every unacknowledged message with its own id, oldest first.
        for (const [id, text] of this.unacked) this.send(id, text);
        this.pump();
        return;
      case 'ack': {
        const text = this.unacked.get(frame.id) ?? this.generated.get(frame.id);
        const before = this.acked.get(frame.id);
        if (before !== undefined && before !== frame.seq) this.problems.ackMismatches++;
        this.acked.set(frame.id, frame.seq);
        this.record({ seq: frame.seq, role: 'user', client_id: frame.id }, text);
        this.unacked.delete(frame.id);
        if (this.options.pauseMs > 0) setTimeout(() => this.pump(), Math.random() * this.options.pauseMs);
        else this.pump();
        return;
      }
      case 'message':
        if (frame.message.seq <= this.socketSeq) this.problems.outOfOrder++;
        this.socketSeq = frame.message.seq;
        this.record(frame.message);
        return;
      case 'error':
        this.errorCodes[frame.code] = (this.errorCodes[frame.code] ?? 0) + 1;
        // An `internal` error before `welcome` answers the hello: the server is ready for another one.
        if (frame.code === 'internal' && !frame.id && !this.ready) {
          const socket = this.socket;
          setTimeout(() => {
            if (this.ready || !socket || socket !== this.socket || socket.readyState !== WebSocket.OPEN) return;
            this.helloRetries++;
            this.hello(socket);
          }, 200 + Math.random() * 800);
        }
        // `internal`: the message is not stored, resend it (docs/protocol.md); `rate_limited` alike.
        if (['internal', 'rate_limited'].includes(frame.code) && typeof frame.id === 'string' && this.unacked.has(frame.id)) {
          const id: string = frame.id;
          setTimeout(() => {
            const text = this.unacked.get(id);
            if (text === undefined) return;
            this.resentAfterError++;
            this.send(id, text);
          }, 100 + Math.random() * 400);
        }
        if (frame.code === 'not_found' && this.session !== undefined) this.problems.lostSessions++;
        else if (!['internal', 'rate_limited', 'unavailable'].includes(frame.code)) {
          if (this.problems.unexpectedErrors.length < 20) this.problems.unexpectedErrors.push(`${frame.code}: ${frame.message}`);
        }
        return;
      default:
        return;
    }
  }

  private record(message: { seq: number; role: string; client_id?: string; components?: unknown }, text?: string): void {
    const entry: SeenMessage = {
      role: message.role,
      ...(message.client_id ? { clientId: message.client_id } : {}),
      ...(text !== undefined ? { text } : {}),
      ...(message.components ? { components: JSON.stringify(message.components) } : {}),
    };
    const known = this.seen.get(message.seq);
    if (known && (known.role !== entry.role || known.clientId !== entry.clientId)) this.problems.conflictingFrames++;
    this.seen.set(message.seq, { ...known, ...entry });
  }

  private send(id: string, text: string): void {
    if (!this.ready || !this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ type: 'message', id, text }));
  }

  private pump(): void {
    while (this.ready && this.sent < this.options.messages && this.unacked.size < this.options.window) {
      if (this.options.perSecond) {
        const wait = this.nextFreshAt - Date.now();
        if (wait > 0) {
          this.paceTimer ??= setTimeout(() => {
            this.paceTimer = undefined;
            this.pump();
          }, wait);
          return;
        }
        this.nextFreshAt = Math.max(Date.now(), this.nextFreshAt) + ((0.5 + Math.random()) * 1000) / this.options.perSecond;
      }
      const id = `${this.name}-${randomBytes(9).toString('base64url')}`;
      const text = randomText();
      this.unacked.set(id, text);
      this.generated.set(id, text);
      this.sent++;
      this.send(id, text);
      if (Math.random() < this.options.duplicateRate) this.send(id, text);
      if (this.acked.size && Math.random() < this.options.replayOldRate) {
        const ids = [...this.acked.keys()];
        const old = ids[Math.floor(Math.random() * ids.length)]!;
        this.send(old, this.generated.get(old)!);
      }
    }
  }
}
