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
import type { BusEvent } from '../core/bus.js';
import type { ChatService } from '../conversations/chat.js';
import type { ConversationStore } from '../conversations/conversations.js';
import type { HandoffService } from '../handoff/handoff.js';
import type { InboxRepository } from '../inbox/inbox.js';
import type { PresenceTracker } from '../core/presence.js';
import type { AuthUser } from '../accounts/users.js';
import type { AgentEndpoint, AgentHub } from './agent-hub.js';
import { frameReader } from '../realtime/frame-reader.js';
import { GuardedSocket } from '../realtime/guarded-socket.js';
import { TokenBucket } from '../realtime/token-bucket.js';

const readFrame = frameReader<AgentClientFrame>({
  reply: AgentReplyFrame,
  typing: AgentTypingFrame,
  read: AgentReadFrame,
  claim: AgentClaimFrame,
  ping: AgentPingFrame,
});

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
 * Its hardening (frame checks, rate limits, heartbeat, slow consumers) is `GuardedSocket`'s.
 */
export class AgentConnection extends GuardedSocket<AgentClientFrame, AgentServerFrame> implements AgentEndpoint {
  readonly id = `a${++nextConnectionId}`;
  private closed = false;
  private readonly bucket: TokenBucket;
  private leave: () => void = () => {};
  private readonly expiry: NodeJS.Timeout;
  /** Conversations where this tab said it is typing: they hear it stop when the tab goes away. */
  private readonly typingIn = new Set<string>();

  constructor(
    socket: WebSocket,
    private readonly user: AuthUser,
    view: User,
    expiresAt: number,
    private readonly deps: AgentConnectionDeps,
    private readonly onClosed: (connection: AgentConnection) => void,
  ) {
    super(socket, readFrame, { log: deps.log, limits: deps.limits, label: 'agent' });
    this.bucket = new TokenBucket(deps.limits.wsFramesPerSecond);

    const connected = deps.presence.agentConnected(user);
    const join = () => {
      this.send({ type: 'ready', user: view, online_agents: deps.presence.onlineAgents(user.companyId) });
      this.leave = deps.hub.join(this);
    };
    // Across nodes (Redis), `ready` waits until presence counts the agent and the company's events reach this node.
    if (connected) void connected.then(() => this.closed || join());
    else join();
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

  ackFor(event: Extract<BusEvent, { type: 'message' }>): AgentServerFrame | undefined {
    const { message } = event;
    if (event.origin !== this.id || message.role !== 'agent' || !message.client_id) return undefined;
    return { type: 'ack', id: message.client_id, conversation_id: event.conversationId, seq: message.seq };
  }

  revoke(): void {
    this.close(CloseCode.unauthorized, 'Account disabled');
  }

  protected dispatch(frame: AgentClientFrame): void {
    if (frame.type === 'ping') return this.send({ type: 'pong', ...(frame.t !== undefined ? { t: frame.t } : {}) });
    if (!this.bucket.take()) return this.overBudget(frame, frame.type === 'reply' ? frame.id : undefined);
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
      case 'typing':
        handoff.owned(this.user, frame.conversation_id).then(
          (conversation) => {
            if (conversation.status === 'closed' || this.closed) return;
            if (frame.on) this.typingIn.add(conversation.id);
            else this.typingIn.delete(conversation.id);
            chat.typing(conversation, 'agent', frame.on, this.id, this.user.name);
          },
          (error: unknown) => this.failed(error),
        );
        return;
      case 'read':
        inbox.markRead(this.user, frame.conversation_id, frame.seq, this.id).catch((error: unknown) => this.failed(error));
        return;
      case 'claim':
        handoff.claim(this.user, frame.conversation_id).catch((error: unknown) => this.failed(error));
        return;
    }
  }

  protected dispose(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.expiry);
    for (const id of this.typingIn) {
      const conversation = this.deps.conversations.cached(id);
      if (conversation && conversation.status !== 'closed') this.deps.chat.typing(conversation, 'agent', false, this.id, this.user.name);
    }
    this.leave();
    this.deps.presence.agentDisconnected(this.user);
    this.onClosed(this);
  }
}
