import type { FastifyBaseLogger } from 'fastify';
import type { AgentServerFrame, ChatSummary, HandoffReason } from '@parley/protocol';
import { runNow } from '../db/step.js';
import { topics, type BusEvent, type EventBus } from '../core/bus.js';
import type { InboxRepository } from '../inbox/inbox.js';
import { encodeTextFrames } from '../realtime/shared-frames.js';
import { KnownSummaries } from './known-summaries.js';

/** What the hub needs of an agent connection. */
export interface AgentEndpoint {
  /** Names the connection as the origin of what it does (its own frames are not echoed to it). */
  readonly id: string;
  readonly userId: string;
  readonly companyId: string;
  send(frame: AgentServerFrame): void;
  /** Frames encoded once for every connection of the company (`encodeTextFrames`). */
  sendEncoded(frames: Buffer): void;
  /** The `ack` this connection is owed for a message event it caused, if any. */
  ackFor(event: Extract<BusEvent, { type: 'message' }>): AgentServerFrame | undefined;
  /** The account was disabled or deleted. */
  revoke(): void;
}

/**
 * How often a conversation's summary is re-sent at most when only new messages changed it. The
 * messages themselves go out at once; the summary (the inbox line: last message, unread count)
 * of a busy conversation then follows within this time, carrying the latest state. Any other
 * change (status, assignee, hand-off, read marks, presence) sends the summary at once. In a
 * closed loop of 200 chats a summary after every message was a third of what the dashboards
 * received.
 */
const MESSAGE_SUMMARY_INTERVAL_MS = 250;

/** How many conversations' last sent seq a company channel keeps, to see gaps (the most recent ones). */
const SENT_SEQS = 10_000;

/**
 * One company's agent connections behind one subscription to the company topic: every event is
 * turned into a frame once, the frames of a tick are encoded once into one buffer and that buffer
 * is written to each connection (one write per connection per tick, whatever the number of
 * events), and chat summaries (status, assignee, last message, unread count, queue place) are
 * recomputed once per conversation per event-loop turn, however many events touched it, and for
 * new messages alone at most every `MESSAGE_SUMMARY_INTERVAL_MS` per conversation. A frame
 * for some connections only (an `ack`, typing that skips its origin) first writes out what is
 * queued, so every connection sees the frames in the order the events came.
 */
class CompanyChannel {
  readonly connections = new Set<AgentEndpoint>();
  private readonly unsubscribe: () => void;
  /** Conversations whose summary is due, with the hand-off reason when a person was asked for. */
  private dirty = new Map<string, HandoffReason | null>();
  private scheduled = false;
  /** When each conversation's summary last went out (`performance.now()`), pruned as they age. */
  private readonly lastSummary = new Map<string, number>();
  /** Conversations whose summary waits out its interval: only new messages changed them since. */
  private held = new Set<string>();
  private heldTimer: NodeJS.Timeout | undefined;
  /** JSON of the frames every connection gets, queued in this tick. */
  private shared: string[] = [];
  private readonly writeShared = () => this.flushShared();
  /** The summaries being read and sent, on PostgreSQL (see `flush`). */
  private reading: Promise<void> | undefined;
  /**
   * The last message seq sent per conversation (the latest `SENT_SEQS`), to see a gap: another
   * node's message still on the wire, or lost while Redis was away.
   */
  private readonly sentSeq = new Map<string, number>();
  /** Conversations whose missed messages are being read, with the events that wait for them. */
  private readonly filling = new Map<string, BusEvent[]>();
  /** The lines read last, brought forward by the messages relayed since: sent without a read. */
  private readonly known = new KnownSummaries();

  constructor(
    private readonly companyId: string,
    bus: EventBus,
    private readonly inbox: InboxRepository,
    private readonly log: FastifyBaseLogger,
  ) {
    this.unsubscribe = bus.subscribe(topics.company(companyId), (event) => this.onEvent(event));
  }

  close(): void {
    this.unsubscribe();
    clearTimeout(this.heldTimer);
  }

  private broadcast(frame: AgentServerFrame, except?: string): void {
    if (except === undefined) {
      if (this.connections.size === 0) return;
      if (this.shared.length === 0) process.nextTick(this.writeShared);
      this.shared.push(JSON.stringify(frame));
      return;
    }
    this.flushShared();
    for (const connection of this.connections) if (connection.id !== except) connection.send(frame);
  }

  /** Writes the frames queued for every connection, encoded once. */
  private flushShared(): void {
    if (this.shared.length === 0) return;
    const frames = encodeTextFrames(this.shared);
    this.shared = [];
    for (const connection of this.connections) connection.sendEncoded(frames);
  }

  private onEvent(event: BusEvent): void {
    if (event.companyId !== this.companyId) return;
    const waiting = 'conversationId' in event && event.conversationId ? this.filling.get(event.conversationId) : undefined;
    if (waiting) {
      waiting.push(event);
      return;
    }
    if (event.type === 'message' && !this.inOrder(event)) return;
    this.handle(event);
  }

  /**
   * Whether a message event goes out now. One past a gap first has the gap read from the
   * database; one sent already (by such a read) only gives its sender the `ack`.
   */
  private inOrder(event: Extract<BusEvent, { type: 'message' }>): boolean {
    const { conversationId } = event;
    const seq = event.message.seq;
    const last = this.sentSeq.get(conversationId);
    if (last !== undefined && seq <= last) {
      if (event.origin) this.sendAcks(event);
      return false;
    }
    if (last !== undefined && seq > last + 1) {
      this.fill(conversationId, last, [event]);
      return false;
    }
    this.rememberSeq(conversationId, seq);
    return true;
  }

  /** Sends the messages committed after `after` (read from the database), then the events held meanwhile. */
  private fill(conversationId: string, after: number, held: BusEvent[]): void {
    this.filling.set(conversationId, held);
    this.inbox
      .messages(this.companyId, conversationId, after, 500)
      .then((messages) => {
        for (const { message } of messages) {
          if (message.seq <= (this.sentSeq.get(conversationId) ?? 0)) continue;
          this.rememberSeq(conversationId, message.seq);
          this.broadcast({ type: 'message', conversation_id: conversationId, message });
          this.known.message(conversationId, message);
          this.touchForMessage(conversationId);
        }
      })
      .catch((error: unknown) => {
        // Unknown from here: the next event goes out as it comes.
        this.sentSeq.delete(conversationId);
        this.log.warn({ err: error, conversationId }, 'missed agent messages could not be read');
      })
      .finally(() => {
        const events = this.filling.get(conversationId) ?? [];
        this.filling.delete(conversationId);
        for (const event of events) this.onEvent(event);
      });
  }

  /**
   * The conversations this channel sent messages of whose `last_seq` the database shows further:
   * their missed messages are read and sent. Returns how many conversations were behind.
   */
  catchUp(lastSeqs: Map<string, number>): number {
    let behind = 0;
    for (const [conversationId, seq] of lastSeqs) {
      const sent = this.sentSeq.get(conversationId);
      if (sent === undefined || sent >= seq || this.filling.has(conversationId)) continue;
      this.fill(conversationId, sent, []);
      behind++;
    }
    return behind;
  }

  /** The conversations whose message seqs this channel follows. */
  followed(): string[] {
    return [...this.sentSeq.keys()];
  }

  private rememberSeq(conversationId: string, seq: number): void {
    this.sentSeq.delete(conversationId);
    this.sentSeq.set(conversationId, seq);
    if (this.sentSeq.size > SENT_SEQS) this.sentSeq.delete(this.sentSeq.keys().next().value!);
  }

  private sendAcks(event: Extract<BusEvent, { type: 'message' }>): void {
    for (const connection of this.connections) {
      const ack = connection.ackFor(event);
      if (!ack) continue;
      this.flushShared();
      connection.send(ack);
    }
  }

  private handle(event: BusEvent): void {
    switch (event.type) {
      case 'message': {
        // The connection that sent it hears its `ack` first, then the message like everyone.
        if (event.origin) this.sendAcks(event);
        this.broadcast({ type: 'message', conversation_id: event.conversationId, message: event.message });
        this.known.message(event.conversationId, event.message);
        return this.touchForMessage(event.conversationId);
      }
      case 'state':
        return this.touch(event.conversationId);
      case 'typing':
        if (event.role === 'bot') return;
        return this.broadcast(
          { type: 'typing', conversation_id: event.conversationId, role: event.role, on: event.on, ...(event.name ? { name: event.name } : {}) },
          event.origin,
        );
      case 'presence':
        this.broadcast({ type: 'presence', conversation_id: event.conversationId, online: event.online });
        return this.touch(event.conversationId);
      case 'agent_presence':
        return this.broadcast({ type: 'agent_presence', user_id: event.userId, name: event.name, online: event.online });
      case 'handoff':
        return this.touch(event.conversationId, event.reason);
      case 'read':
        this.broadcast({ type: 'read', conversation_id: event.conversationId, seq: event.seq, user_id: event.userId });
        return this.touch(event.conversationId);
      case 'lead':
        if (event.conversationId) this.touch(event.conversationId);
        return;
      case 'identified':
        return this.touch(event.conversationId);
      case 'note':
        return this.broadcast({ type: 'note', conversation_id: event.conversationId, note: event.note });
      case 'note_deleted':
        return this.broadcast({ type: 'note_deleted', conversation_id: event.conversationId, note_id: event.noteId });
      case 'erased':
        this.known.forget(event.conversationId);
        this.dirty.delete(event.conversationId);
        this.held.delete(event.conversationId);
        return this.broadcast({ type: 'conversation_deleted', conversation_id: event.conversationId });
      case 'user_revoked':
        for (const connection of [...this.connections]) if (connection.userId === event.userId) connection.revoke();
        return;
      default:
        return;
    }
  }

  /** A new message: the summary is due now, or at the end of its interval when one went out lately. */
  private touchForMessage(conversationId: string): void {
    if (!this.dirty.has(conversationId)) {
      const last = this.lastSummary.get(conversationId);
      if (last !== undefined && performance.now() - last < MESSAGE_SUMMARY_INTERVAL_MS) {
        this.held.add(conversationId);
        if (!this.heldTimer) {
          this.heldTimer = setTimeout(this.releaseHeld, MESSAGE_SUMMARY_INTERVAL_MS);
          this.heldTimer.unref();
        }
        return;
      }
    }
    this.markDue(conversationId);
  }

  private readonly releaseHeld = () => {
    this.heldTimer = undefined;
    const held = this.held;
    this.held = new Set();
    for (const conversationId of held) this.markDue(conversationId);
  };

  /**
   * A change other than new messages: the summary is read again, and is due now; a hand-off
   * reason also sends the `handoff` frame.
   */
  private touch(conversationId: string, reason?: HandoffReason): void {
    this.known.forget(conversationId);
    this.markDue(conversationId, reason);
  }

  /** Marks a conversation's summary as due (what is known of it is kept: see `touch`). */
  private markDue(conversationId: string, reason?: HandoffReason): void {
    this.held.delete(conversationId);
    if (reason || !this.dirty.has(conversationId)) this.dirty.set(conversationId, reason ?? this.dirty.get(conversationId) ?? null);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const due = this.dirty;
    this.dirty = new Map();
    if (this.inbox.readsAtOnce) {
      // SQLite: each summary is read right here, as its frame is written.
      this.send(due, (conversationId) => {
        const version = this.known.version(conversationId);
        return this.known.get(conversationId) ?? this.remember(runNow(this.inbox.summary(this.companyId, conversationId)), version);
      });
      return;
    }
    // PostgreSQL: a read is a round trip. The batch's summaries are read together, and batches
    // go out in the order they were due, so a newer summary is never overtaken by an older one.
    // A summary known as of now is taken now, in that same order.
    const reads = [...due.keys()].map((conversationId) => {
      const known = this.known.get(conversationId);
      if (known) return { chat: known };
      const version = this.known.version(conversationId);
      return Promise.resolve(this.inbox.summary(this.companyId, conversationId)).then(
        (chat) => ({ chat, version }),
        (error: unknown) => ({ error }),
      );
    });
    const read = Promise.all(reads);
    this.reading = (this.reading ?? Promise.resolve()).then(async () => {
      const results = await read;
      const byId = new Map([...due.keys()].map((conversationId, i) => [conversationId, results[i]!]));
      this.send(due, (conversationId) => {
        const result = byId.get(conversationId)!;
        if ('error' in result) throw result.error;
        return 'version' in result ? this.remember(result.chat, result.version) : result.chat;
      });
    });
  }

  /** Keeps a summary just read, to bring forward by the messages that follow. */
  private remember(chat: ChatSummary | undefined, version: number): ChatSummary | undefined {
    if (chat) this.known.remember(chat, version);
    return chat;
  }

  /** Broadcasts the summaries that are due (and the `handoff` frames of those asked for a person). */
  private send(due: Map<string, HandoffReason | null>, summaryOf: (conversationId: string) => ChatSummary | undefined): void {
    const now = performance.now();
    if (this.lastSummary.size > 1024) {
      for (const [conversationId, at] of this.lastSummary) if (now - at >= MESSAGE_SUMMARY_INTERVAL_MS) this.lastSummary.delete(conversationId);
    }
    for (const [conversationId, reason] of due) {
      if (this.connections.size === 0) return;
      try {
        const chat = summaryOf(conversationId);
        // A conversation deleted in the meantime has nothing to show.
        if (!chat) continue;
        this.lastSummary.set(conversationId, now);
        this.broadcast({ type: 'conversation', chat });
        if (reason) this.broadcast({ type: 'handoff', chat, reason });
      } catch (error) {
        this.log.debug({ err: error, conversationId }, 'chat summary skipped');
      }
    }
  }
}

/**
 * Fans company events out to agent connections. A company's topic is subscribed while at least one
 * of its agents is connected, so agents only ever see their own company's events, and a company
 * with nobody online costs nothing.
 */
export class AgentHub {
  private readonly channels = new Map<string, CompanyChannel>();

  constructor(
    private readonly bus: EventBus,
    private readonly inbox: InboxRepository,
    private readonly log: FastifyBaseLogger,
  ) {}

  /**
   * Compares the conversations the channels follow with the committed `last_seq`s (`lastSeqs`
   * reads them) and sends what the dashboards missed; returns how many conversations were behind.
   */
  async reconcile(lastSeqs: (ids: string[]) => Promise<Map<string, number>>): Promise<number> {
    let behind = 0;
    for (const channel of [...this.channels.values()]) behind += channel.catchUp(await lastSeqs(channel.followed()));
    return behind;
  }

  /** Adds a connection to its company's channel; returns the function that removes it. */
  join(connection: AgentEndpoint): () => void {
    let channel = this.channels.get(connection.companyId);
    if (!channel) {
      channel = new CompanyChannel(connection.companyId, this.bus, this.inbox, this.log);
      this.channels.set(connection.companyId, channel);
    }
    channel.connections.add(connection);
    return () => {
      channel.connections.delete(connection);
      if (channel.connections.size === 0 && this.channels.get(connection.companyId) === channel) {
        channel.close();
        this.channels.delete(connection.companyId);
      }
    };
  }
}
