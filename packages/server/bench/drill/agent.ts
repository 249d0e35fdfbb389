import WebSocket from 'ws';
import type { ChatList, ChatMessage, MessageList } from '@parley/protocol';

/** A message as an agent dashboard holds it. */
export interface AgentSeen {
  id: string;
  role: string;
  clientId?: string;
}

/** What went wrong on a dashboard's side; every count should stay 0. */
export interface AgentProblems {
  /** Message frames of a conversation whose seq was not above the previous one's on the same socket. */
  outOfOrder: number;
  /** A seq this dashboard already had, received again as another message. */
  conflictingFrames: number;
  /** Error frames, and closes with a code other than a node going away. */
  unexpected: string[];
}

const PAGE = 500;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * An agent dashboard that only watches: one agent WebSocket (`/ws/agent`) that hears every
 * message of its company, and the catch-up rules of docs/agents.md and docs/dashboard.md. After
 * each (re)connection it lists the conversations (`GET /api/chats`) and fetches what it missed of
 * each after the last seq it has (`GET /api/messages/:id?after=N`); a message frame past a gap
 * has the gap fetched the same way. It reconnects with jittered backoff when its node dies. The
 * drill compares what it holds with the database at the end.
 */
export class DrillAgent {
  /** Conversation id -> seq -> message, from frames and fetches. */
  readonly seen = new Map<string, Map<number, AgentSeen>>();
  readonly problems: AgentProblems = { outOfOrder: 0, conflictingFrames: 0, unexpected: [] };
  connections = 0;
  /** Message frames received. */
  frames = 0;
  /** Messages that arrived by a fetch rather than a frame (gaps filled). */
  fetched = 0;
  /** HTTP requests that failed (a node that died under them) and were tried again. */
  retries = 0;
  ready = false;
  private socket: WebSocket | undefined;
  private stopped = false;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Per conversation, the seq of the last message frame on the current socket. */
  private socketSeqs = new Map<string, number>();
  /** Conversations being fetched, and those asked for again meanwhile. */
  private readonly filling = new Set<string>();
  private readonly fillAgain = new Set<string>();

  constructor(
    /** `http://127.0.0.1:PORT` of the load balancer. */
    private readonly http: string,
    private readonly token: string,
    readonly name: string,
    readonly companyId: string,
  ) {}

  /** The highest seq such that this dashboard has every message of the conversation up to it. */
  contiguousSeq(conversationId: string): number {
    const seqs = this.seen.get(conversationId);
    let seq = 0;
    while (seqs?.has(seq + 1)) seq++;
    return seq;
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    this.socket?.terminate();
    this.socket = undefined;
  }

  /** Resolves once the first `ready` arrived. */
  async untilReady(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ready) {
      if (Date.now() > deadline) throw new Error(`${this.name}: no ready frame in ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  private connect(): void {
    if (this.stopped) return;
    const url = `${this.http.replace(/^http/, 'ws')}/ws/agent?token=${encodeURIComponent(this.token)}`;
    const socket = new WebSocket(url, { perMessageDeflate: false });
    this.socket = socket;
    this.socketSeqs = new Map();
    this.connections++;
    socket.on('message', (data) => this.onFrame(JSON.parse(data.toString())));
    socket.on('error', () => undefined);
    socket.on('unexpected-response', (request) => {
      request.destroy();
      socket.terminate();
    });
    socket.on('close', (code) => {
      if (this.socket !== socket) return;
      // 1006 (no close frame: the node died or the balancer found none) and 1001 (going away) are expected.
      if (![1001, 1005, 1006].includes(code) && this.problems.unexpected.length < 20) this.problems.unexpected.push(`close ${code}`);
      this.socket = undefined;
      if (!this.stopped) this.reconnectTimer = setTimeout(() => this.connect(), 100 + Math.random() * 400);
    });
  }

  private onFrame(frame: { type: string; conversation_id?: string; message?: ChatMessage; code?: string; message_text?: string }): void {
    switch (frame.type) {
      case 'ready':
        this.ready = true;
        void this.catchUp();
        return;
      case 'message': {
        const conversationId = frame.conversation_id!;
        const message = frame.message!;
        this.frames++;
        const last = this.socketSeqs.get(conversationId) ?? 0;
        if (message.seq <= last) this.problems.outOfOrder++;
        this.socketSeqs.set(conversationId, message.seq);
        this.record(conversationId, message);
        if (message.seq > this.contiguousSeq(conversationId) + 1) void this.fill(conversationId);
        return;
      }
      case 'error':
        if (this.problems.unexpected.length < 20) this.problems.unexpected.push(`error ${frame.code}`);
        return;
      default:
        return;
    }
  }

  private record(conversationId: string, message: ChatMessage): void {
    let seqs = this.seen.get(conversationId);
    if (!seqs) this.seen.set(conversationId, (seqs = new Map()));
    const known = seqs.get(message.seq);
    if (known && (known.id !== message.id || known.role !== message.role)) this.problems.conflictingFrames++;
    seqs.set(message.seq, { id: message.id, role: message.role, ...(message.client_id ? { clientId: message.client_id } : {}) });
  }

  /** After a (re)connection: every conversation of the inbox, and what this dashboard misses of each. */
  private async catchUp(): Promise<void> {
    const ids: string[] = [];
    let before: { at: string; id: string } | undefined;
    for (;;) {
      const query = before ? `&before=${encodeURIComponent(before.at)}&before_id=${before.id}` : '';
      const page = await this.get<ChatList>(`/api/chats?limit=200${query}`);
      if (!page) return;
      ids.push(...page.chats.map((c) => c.id));
      if (page.chats.length < 200) break;
      const oldest = page.chats.at(-1)!;
      before = { at: oldest.updated_at, id: oldest.id };
    }
    for (const id of new Set([...ids, ...this.seen.keys()])) await this.fill(id);
  }

  /** Fetches the messages of a conversation after the last contiguous seq, page by page. */
  private async fill(conversationId: string): Promise<void> {
    if (this.filling.has(conversationId)) {
      this.fillAgain.add(conversationId);
      return;
    }
    this.filling.add(conversationId);
    try {
      do {
        this.fillAgain.delete(conversationId);
        for (;;) {
          const after = this.contiguousSeq(conversationId);
          const page = await this.get<MessageList>(`/api/messages/${conversationId}?after=${after}&limit=${PAGE}`);
          if (!page) return;
          for (const { message } of page.messages) {
            if (!this.seen.get(conversationId)?.has(message.seq)) this.fetched++;
            this.record(conversationId, message);
          }
          if (page.messages.length < PAGE) break;
        }
      } while (this.fillAgain.has(conversationId) && !this.stopped);
    } finally {
      this.filling.delete(conversationId);
    }
  }

  /** A GET through the balancer, tried again while its node is away (or busy); undefined once stopped or refused. */
  private async get<T>(path: string): Promise<T | undefined> {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        const response = await fetch(`${this.http}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
        if (response.ok) return (await response.json()) as T;
        const body = await response.text();
        if (response.status < 500 && response.status !== 429) {
          if (this.problems.unexpected.length < 20) this.problems.unexpected.push(`GET ${path}: ${response.status} ${body.slice(0, 100)}`);
          return undefined;
        }
      } catch {
        // The node went away under the request: another one answers the next.
      }
      this.retries++;
      await sleep(Math.min(2000, 100 * 2 ** attempt) * (0.5 + Math.random()));
    }
    return undefined;
  }
}
