import type { WebSocket } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import {
  AgentClaimFrame,
  AgentPingFrame,
  AgentReadFrame,
  AgentReplyFrame,
  AgentTypingFrame,
  CloseCode,
  type AgentClientFrame,
  type AgentServerFrame,
  type User,
} from '@parley/protocol';
import type { LimitsConfig } from '../config.js';
import { describeError } from '../plugins/app/error-handler.js';
import type { BusEvent } from '../plugins/app/bus.js';
import type { ChatService } from '../plugins/app/chat.js';
import type { ConversationStore } from '../plugins/app/conversations.js';
import type { HandoffService } from '../plugins/app/handoff.js';
import type { InboxRepository } from '../plugins/app/inbox.js';
import type { PresenceTracker } from '../plugins/app/presence.js';
import type { AuthUser } from '../plugins/app/users.js';
import type { AgentEndpoint, AgentHub } from './agent-hub.js';
import { sendFrameCorked } from './corked-send.js';
import { frameReader } from './frame-reader.js';
import { TokenBucket } from './token-bucket.js';

const readFrame = frameReader<AgentClientFrame>({
  reply: AgentReplyFrame,
  typing: AgentTypingFrame,
  read: AgentReadFrame,
  claim: AgentClaimFrame,
  ping: AgentPingFrame,
});

/** Malformed frames in a row before the connection is closed with 1008. */
const MAX_MALFORMED_IN_A_ROW = 10;
/** Rate-limited frames before a flooding connection is closed with 1008. */
const MAX_RATE_STRIKES = 50;

/** What an agent connection needs from the app. */
export interface AgentConnectionDeps {
  chat: ChatService;
  conversations: ConversationStore;
  handoff: HandoffService;
  inbox: InboxRepository;
  presence: PresenceTracker;
  hub: AgentHub;
  log: FastifyBaseLogger;
  limits: LimitsConfig;
}

let nextConnectionId = 0;

/**
 * One agent's WebSocket (one dashboard tab). Authenticated before the upgrade; its first frame is
 * `ready`. It hears its company's events through the hub and acts through the same services as
 * the REST API, so a claim or a read in one tab shows in every other tab and colleague at once.
 * The message handler is attached at once and never throws: failures become `error` frames.
 */
export class AgentConnection implements AgentEndpoint {
  readonly id = `a${++nextConnectionId}`;
  /** Cleared by each heartbeat sweep, set again by a pong. */
  alive = true;
  private closed = false;
  private malformed = 0;
  private strikes = 0;
  private readonly bucket: TokenBucket;
  private readonly leave: () => void;
  private readonly expiry: NodeJS.Timeout;
  /** Conversations where this tab said it is typing: they hear it stop when the tab goes away. */
  private readonly typingIn = new Set<string>();

  constructor(
    private readonly socket: WebSocket,
    private readonly user: AuthUser,
    view: User,
    expiresAt: number,
    private readonly deps: AgentConnectionDeps,
    private readonly onClosed: (connection: AgentConnection) => void,
  ) {
    this.bucket = new TokenBucket(deps.limits.wsFramesPerSecond);
    socket.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    socket.on('pong', () => {
      this.alive = true;
    });
    socket.on('close', () => this.dispose());
    socket.on('error', (error) => deps.log.debug({ err: error }, 'agent socket error'));

    deps.presence.agentConnected(user);
    this.send({ type: 'ready', user: view, online_agents: deps.presence.onlineAgents(user.companyId) });
    this.leave = deps.hub.join(this);
    // A token is good until it expires, on a socket too.
    this.expiry = setTimeout(() => this.close(CloseCode.unauthorized, 'Token expired'), Math.max(0, Math.min(expiresAt - Date.now(), 2 ** 31 - 1)));
    this.expiry.unref();
  }

  get userId(): string {
    return this.user.id;
  }

  get companyId(): string {
    return this.user.companyId;
  }

  /** Sends a protocol ping, or terminates the connection if the last one went unanswered. */
  heartbeat(): void {
    if (!this.alive) return void this.socket.terminate();
    this.alive = false;
    this.socket.ping();
  }

  deliverMessage(event: Extract<BusEvent, { type: 'message' }>, frame: AgentServerFrame): void {
    const { message } = event;
    if (event.origin === this.id && message.role === 'agent' && message.client_id) {
      this.send({ type: 'ack', id: message.client_id, conversation_id: event.conversationId, seq: message.seq });
    }
    this.send(frame);
  }

  revoke(): void {
    this.close(CloseCode.unauthorized, 'Account disabled');
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    try {
      if (isBinary) return this.reject('bad_request', 'Frames must be JSON text');
      const result = readFrame(data.toString('utf8'));
      if (!result.ok) return this.reject(result.code, result.message, result.id);
      this.malformed = 0;
      this.dispatch(result.frame);
    } catch (error) {
      this.failed(error);
    }
  }

  private dispatch(frame: AgentClientFrame): void {
    if (frame.type === 'ping') return this.send({ type: 'pong', ...(frame.t !== undefined ? { t: frame.t } : {}) });
    if (!this.bucket.take()) {
      if (++this.strikes > MAX_RATE_STRIKES) return this.close(CloseCode.policy, 'Too many frames');
      if (frame.type !== 'typing') this.error('rate_limited', 'Too many frames, please slow down', frame.type === 'reply' ? frame.id : undefined);
      return;
    }
    const { handoff, chat, inbox } = this.deps;
    switch (frame.type) {
      case 'reply':
        handoff.reply(this.user, frame.conversation_id, frame.text, { clientId: frame.id, origin: this.id }).then(
          // A fresh reply is acknowledged when its commit is published; a resend right here.
          ({ message, duplicate }) => {
            if (duplicate) this.send({ type: 'ack', id: frame.id, conversation_id: frame.conversation_id, seq: message.seq });
          },
          (error: unknown) => this.failed(error, frame.id),
        );
        return;
      case 'typing': {
        const conversation = handoff.owned(this.user, frame.conversation_id);
        if (conversation.status === 'closed') return;
        if (frame.on) this.typingIn.add(conversation.id);
        else this.typingIn.delete(conversation.id);
        chat.typing(conversation, 'agent', frame.on, this.id, this.user.name);
        return;
      }
      case 'read':
        inbox.markRead(this.user, frame.conversation_id, frame.seq, this.id).catch((error: unknown) => this.failed(error));
        return;
      case 'claim':
        handoff.claim(this.user, frame.conversation_id).catch((error: unknown) => this.failed(error));
        return;
    }
  }

  private failed(error: unknown, id?: string): void {
    const { statusCode, code, message } = describeError(error as Error);
    if (statusCode >= 500) this.deps.log.error({ err: error }, 'agent frame failed');
    this.error(code, message, id);
  }

  private reject(code: 'bad_request' | 'validation_failed', message: string, id?: string): void {
    this.error(code, message, id);
    if (++this.malformed >= MAX_MALFORMED_IN_A_ROW) this.close(CloseCode.policy, 'Too many malformed frames');
  }

  private error(code: string, message: string, id?: string): void {
    this.send({ type: 'error', code, message, ...(id ? { id } : {}) });
  }

  /** Sends a frame unless the socket is gone; closes a client that stopped reading. */
  send(frame: AgentServerFrame): void {
    if (this.socket.readyState !== this.socket.OPEN) return;
    if (this.socket.bufferedAmount > this.deps.limits.wsMaxBufferedBytes) return this.close(CloseCode.policy, 'Slow consumer');
    sendFrameCorked(this.socket, frame);
  }

  close(code: number, reason: string): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(code, reason);
    this.dispose();
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.expiry);
    for (const id of this.typingIn) {
      const conversation = this.deps.conversations.get(id);
      if (conversation && conversation.status !== 'closed') this.deps.chat.typing(conversation, 'agent', false, this.id, this.user.name);
    }
    this.leave();
    this.deps.presence.agentDisconnected(this.user);
    this.onClosed(this);
  }
}
