import type { WebSocket } from 'ws';
import type { FastifyBaseLogger } from 'fastify';
import {
  ActionFrame,
  AttributesFrame,
  CloseCode,
  FormFrame,
  HandoffFrame,
  HelloFrame,
  IdentifyFrame,
  PingFrame,
  TypingFrame,
  UserMessageFrame,
  type IdentityClaim,
  type PageAttributes,
  type VisitorClientFrame,
  type VisitorServerFrame,
} from '@parley/protocol';
import type { LimitsConfig } from '../config.js';
import { AppError } from '../errors.js';
import { topics, type BusEvent, type EventBus } from '../core/bus.js';
import type { ChatService, VisitorInfo, VisitorInput } from '../conversations/chat.js';
import type { Company } from '../companies/companies.js';
import type { ConversationStore, LiveConversation } from '../conversations/conversations.js';
import type { IdentifyOutcome, IdentityService } from '../identity/identity.js';
import type { PresenceTracker } from '../core/presence.js';
import type { AttributesService } from '../attributes/attributes.service.js';
import { frameReader } from '../realtime/frame-reader.js';
import { GuardedSocket } from '../realtime/guarded-socket.js';
import { TokenBucket } from '../realtime/token-bucket.js';

const readFrame = frameReader<VisitorClientFrame>({
  hello: HelloFrame,
  message: UserMessageFrame,
  action: ActionFrame,
  form: FormFrame,
  handoff: HandoffFrame,
  identify: IdentifyFrame,
  typing: TypingFrame,
  ping: PingFrame,
  attributes: AttributesFrame,
});

/** Frames kept while a new conversation is being created. */
const MAX_EARLY_FRAMES = 32;
const REPLAY_PAGE = 500;

/** What a visitor connection needs from the app. */
export interface VisitorConnectionDeps {
  chat: ChatService;
  conversations: ConversationStore;
  bus: EventBus;
  log: FastifyBaseLogger;
  limits: LimitsConfig;
  /** Frames budget shared by every connection from the same address. */
  ipBucket: TokenBucket;
  /** Counts visitor sockets per conversation, so agents see the visitor come and go. */
  presence?: PresenceTracker;
  /** Checks `identify` claims and moves a verified visitor to their conversation. */
  identity?: IdentityService;
  /** Stores page attributes (`attributes` frames, and `hello`'s). */
  attributes?: AttributesService;
}

let nextConnectionId = 0;

/**
 * One visitor's WebSocket. Its hardening (frame checks, rate limits, heartbeat, slow consumers)
 * is `GuardedSocket`'s; this class runs the conversation.
 *
 * States: `new` (waiting for hello) -> `starting` (creating the conversation; frames are kept)
 * -> `ready` -> `closed`.
 */
export class VisitorConnection extends GuardedSocket<VisitorClientFrame, VisitorServerFrame> {
  /** Names this connection as the origin of the messages it sends. */
  readonly id = `v${++nextConnectionId}`;
  private state: 'new' | 'starting' | 'ready' | 'closed' = 'new';
  private conversationId: string | undefined;
  private lastSentSeq = 0;
  /**
   * Events that wait while missed messages are read from the database: the history on attach, or
   * a gap in seqs (another node's message still on the wire, or lost while Redis was away).
   */
  private held: BusEvent[] | undefined;
  private unsubscribe: (() => void) | undefined;
  private unsubscribeAvailability: (() => void) | undefined;
  /** `hello`'s attributes, stored once the conversation is known. */
  private helloAttributes: PageAttributes | undefined;
  private early: VisitorClientFrame[] = [];
  private readonly bucket: TokenBucket;

  constructor(
    socket: WebSocket,
    private readonly company: Company,
    private readonly visitor: VisitorInfo,
    private readonly deps: VisitorConnectionDeps,
    private readonly onClosed: (connection: VisitorConnection) => void,
  ) {
    super(socket, readFrame, { log: deps.log, limits: deps.limits, label: 'visitor' });
    this.bucket = new TokenBucket(deps.limits.wsFramesPerSecond);
  }

  protected dispatch(frame: VisitorClientFrame): void {
    if (frame.type === 'ping') {
      this.send({ type: 'pong', ...(frame.t !== undefined ? { t: frame.t } : {}) });
      return;
    }
    if (frame.type === 'hello') {
      if (this.state !== 'new') return this.error('not_ready', 'hello was already received');
      this.hello(frame);
      return;
    }
    if (this.state === 'new') return this.error('not_ready', 'Send hello first', 'id' in frame ? frame.id : undefined);
    if (this.state === 'starting') {
      if (this.early.length >= MAX_EARLY_FRAMES) return this.error('rate_limited', 'Wait for welcome before sending more');
      this.early.push(frame);
      return;
    }
    if (!this.bucket.take() || !this.deps.ipBucket.take()) return this.overBudget(frame, 'id' in frame ? frame.id : undefined);
    const cached = this.conversationId ? this.deps.conversations.cached(this.conversationId) : undefined;
    if (cached) return this.dispatchFor(cached, frame);
    // Not in memory any more (a long-idle socket): read it back, then go on.
    const id = this.conversationId;
    if (!id) return this.error('not_found', 'The conversation no longer exists');
    this.deps.conversations.get(id).then(
      (conversation) => (conversation ? this.dispatchFor(conversation, frame) : this.error('not_found', 'The conversation no longer exists')),
      (error: unknown) => this.failed(error, 'id' in frame ? frame.id : undefined),
    );
  }

  /** A frame of a ready connection, with its conversation. */
  private dispatchFor(conversation: LiveConversation, frame: Exclude<VisitorClientFrame, { type: 'ping' | 'hello' }>): void {
    if (frame.type === 'typing') {
      this.deps.chat.typing(conversation, 'user', frame.on, this.id);
      return;
    }
    if (frame.type === 'identify') {
      const { type: _type, ...claim } = frame;
      this.identify(conversation, claim);
      return;
    }
    if (frame.type === 'attributes') return this.setAttributes(conversation, frame.attributes);
    const input: VisitorInput =
      frame.type === 'message'
        ? { kind: 'text', text: frame.text }
        : frame.type === 'handoff'
          ? { kind: 'handoff' }
          : frame.type === 'form'
            ? { kind: 'form', form: frame.form, values: frame.values }
            : { kind: 'action', value: frame.value };
    this.deps.chat.handleInput(conversation, input, { clientId: frame.id, origin: this.id }).then(
      (result) => {
        // A fresh message is acknowledged when its commit is published; a resend right here.
        if (result.duplicate) this.send({ type: 'ack', id: frame.id, seq: result.userSeq });
      },
      (error: unknown) => this.failed(error, frame.id),
    );
  }

  private hello(frame: HelloFrame): void {
    this.helloAttributes = frame.attributes;
    if (frame.identity && this.deps.identity) return this.helloWithIdentity(frame, frame.identity, this.deps.identity);
    if (frame.session) {
      const session = frame.session;
      // Frames that arrive while the session is looked up wait, as they do for a new conversation.
      this.state = 'starting';
      this.deps.chat.resolveSession(session, this.company).then(
        (conversation) => {
          this.attach(conversation, session, true, frame.last_seq ?? 0);
          this.deps.conversations.touch(conversation);
          // A question whose node died during its AI turn is answered now (the answer arrives as any message does).
          this.deps.chat.answerLeftOver(conversation).catch((error: unknown) => this.deps.log.error({ err: error }, 'answering a question left over by another node failed'));
        },
        (error: unknown) => {
          this.state = 'new';
          this.early.length = 0;
          this.failed(error);
        },
      );
      return;
    }
    this.state = 'starting';
    this.deps.chat.start(this.company, this.visitor).then(
      ({ conversation, token }) => {
        if (this.state === 'closed') return;
        this.attach(conversation, token, false, 0);
      },
      (error: unknown) => {
        this.state = 'new';
        this.early = [];
        this.failed(error);
      },
    );
  }

  /**
   * `hello` with an identity: the identity decides the conversation (a verified visitor's own, on
   * any device), then the connection attaches to it like any other and is told the outcome.
   */
  private helloWithIdentity(frame: HelloFrame, claim: IdentityClaim, identity: IdentityService): void {
    this.state = 'starting';
    const session = frame.session;
    (session ? this.deps.chat.resolveSession(session, this.company) : Promise.resolve(undefined))
      .then((current) => identity.identify(this.company, current, claim, this.visitor))
      .then(
      (outcome) => {
        if (this.state === 'closed') return;
        const moved = outcome.session !== undefined;
        this.attach(outcome.conversation, outcome.session ?? frame.session!, !outcome.created, moved ? 0 : (frame.last_seq ?? 0));
        if (!outcome.created) this.deps.conversations.touch(outcome.conversation);
        this.identified(outcome);
      },
      (error: unknown) => {
        this.state = 'new';
        this.early = [];
        this.failed(error);
      },
    );
  }

  /** An `identify` frame on a ready connection: may move it to the verified visitor's conversation. */
  private identify(conversation: LiveConversation, claim: IdentityClaim): void {
    const identity = this.deps.identity;
    if (!identity) return this.error('bad_request', 'Identity is not supported here');
    this.state = 'starting';
    identity.identify(this.company, conversation, claim, this.visitor).then(
      (outcome) => {
        if (this.state === 'closed') return;
        if (outcome.session !== undefined) {
          this.detach();
          this.attach(outcome.conversation, outcome.session, true, 0);
        } else {
          this.ready();
        }
        this.identified(outcome);
      },
      (error: unknown) => {
        if (this.state !== 'closed') this.ready();
        this.failed(error);
      },
    );
  }

  private identified({ identity }: IdentifyOutcome): void {
    this.send({
      type: 'identity',
      verified: identity.verified,
      ...(identity.userId ? { user_id: identity.userId } : {}),
      ...(identity.error ? { error: identity.error } : {}),
    });
  }

  private setAttributes(conversation: LiveConversation, attributes: PageAttributes): void {
    const service = this.deps.attributes;
    if (!service) return this.error('bad_request', 'Attributes are not supported here');
    service.merge(conversation, attributes).catch((error: unknown) => this.failed(error));
  }

  /** Leaves the current conversation (before moving to another). */
  private detach(): void {
    this.unsubscribe?.();
    if (this.unsubscribe && this.conversationId) this.deps.presence?.visitorDisconnected({ id: this.conversationId, companyId: this.company.id });
    this.unsubscribe = undefined;
    this.conversationId = undefined;
  }

  /** Back to `ready`, handling the frames kept meanwhile. */
  private ready(): void {
    this.state = 'ready';
    const early = this.early;
    this.early = [];
    for (const frame of early) this.dispatch(frame);
  }

  /** Subscribes to the conversation, sends welcome and replays what the client has not seen. */
  private attach(conversation: LiveConversation, session: string, resumed: boolean, lastSeq: number): void {
    this.conversationId = conversation.id;
    // Events that arrive while the history is read wait for it, so the client gets every message once and in order.
    this.held = [];
    this.unsubscribe = this.deps.bus.subscribe(topics.conversation(conversation.id), (event) => this.deliver(event));
    this.deps.presence?.visitorConnected(conversation);
    this.send({
      type: 'welcome',
      session,
      conversation_id: conversation.id,
      status: conversation.status,
      last_seq: conversation.lastSeq,
      is_terminal: conversation.isTerminal,
      resumed,
    });
    if (this.deps.presence && !this.unsubscribeAvailability) {
      this.unsubscribeAvailability = this.deps.presence.onAvailability(this.company.id, (online) => this.send({ type: 'availability', online }), true);
    }
    if (this.helloAttributes) {
      this.setAttributes(conversation, this.helloAttributes);
      this.helloAttributes = undefined;
    }
    this.lastSentSeq = Math.min(lastSeq, conversation.lastSeq);
    this.fill(conversation.id, () => this.ready());
  }

  /** The conversation this socket shows and the last seq it sent, for reconciliation (undefined before `welcome`). */
  get position(): { conversationId: string; lastSentSeq: number } | undefined {
    return this.conversationId && this.state !== 'closed' ? { conversationId: this.conversationId, lastSentSeq: this.lastSentSeq } : undefined;
  }

  /**
   * Sends what the database holds after the last seq sent (a reconnected bus, or reconciliation
   * found the conversation ahead of this socket); events arriving meanwhile wait their turn.
   */
  catchUp(): void {
    if (this.held || !this.conversationId || this.state === 'closed') return;
    this.held = [];
    this.fill(this.conversationId);
  }

  /** A bus event, in seq order: a message beyond the next seq first fills the gap from the database. */
  private deliver(event: BusEvent): void {
    if (this.held) {
      this.held.push(event);
      return;
    }
    if (event.type === 'message' && event.message.seq > this.lastSentSeq + 1 && this.conversationId) {
      this.held = [event];
      this.fill(this.conversationId);
      return;
    }
    this.onEvent(event);
  }

  /** Replays from the database, then delivers the events held meanwhile (those already sent are skipped). */
  private fill(conversationId: string, then?: () => void): void {
    this.replay(conversationId).then(
      () => {
        const held = this.held ?? [];
        this.held = undefined;
        for (const event of held) this.deliver(event);
        then?.();
      },
      (error: unknown) => {
        this.held = undefined;
        this.failed(error);
      },
    );
  }

  /** Sends the committed messages after `lastSentSeq`, a page at a time. */
  private async replay(conversationId: string): Promise<void> {
    for (;;) {
      const page = await this.deps.conversations.messagesAfter(conversationId, this.lastSentSeq, REPLAY_PAGE);
      if (this.state === 'closed') return;
      for (const message of page) {
        this.send({ type: 'message', message });
        this.lastSentSeq = message.seq;
      }
      if (page.length < REPLAY_PAGE) return;
    }
  }

  private onEvent(event: BusEvent): void {
    switch (event.type) {
      case 'message': {
        const { message } = event;
        if (message.role === 'user' && event.origin === this.id && message.client_id) {
          this.send({ type: 'ack', id: message.client_id, seq: message.seq });
        } else if (message.seq > this.lastSentSeq) {
          const frame: VisitorServerFrame & { type: 'message' } = { type: 'message', message };
          if (event.isTerminal) frame.is_terminal = true;
          if (event.streamId) frame.stream_id = event.streamId;
          this.send(frame);
        }
        this.lastSentSeq = Math.max(this.lastSentSeq, message.seq);
        return;
      }
      case 'state':
        this.send({
          type: 'state',
          status: event.status,
          ...(event.position !== undefined ? { position: event.position } : {}),
          ...(event.agent ? { agent: event.agent } : {}),
        });
        if (event.status === 'closed') this.close(CloseCode.sessionClosed, 'Session closed');
        return;
      case 'erased':
        // Its session token is gone too: the widget starts a new conversation on 4404.
        this.close(CloseCode.sessionClosed, 'Conversation deleted');
        return;
      case 'stream':
        this.send({ type: 'stream', stream_id: event.streamId, delta: event.delta });
        return;
      case 'lead':
        this.send({ type: 'lead', id: event.leadId, data: event.data });
        return;
      case 'typing':
        if (event.role !== 'user') this.send({ type: 'typing', role: event.role, on: event.on, ...(event.name ? { name: event.name } : {}) });
        return;
      default:
        return;
    }
  }

  /** A closed session also closes its sockets, with 4404. */
  protected override failed(error: unknown, id?: string): void {
    super.failed(error, id);
    if (error instanceof AppError && error.code === 'session_closed') this.close(CloseCode.sessionClosed, 'Session closed');
  }

  protected dispose(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.unsubscribe?.();
    this.unsubscribeAvailability?.();
    if (this.unsubscribe && this.conversationId) this.deps.presence?.visitorDisconnected({ id: this.conversationId, companyId: this.company.id });
    this.unsubscribe = undefined;
    this.onClosed(this);
  }
}
