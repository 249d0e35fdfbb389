import { AttributeLimits, Typing, type ChatMessage, type Component, type ConversationStatus, type IdentityClaim, type PageAttributes, type VisitorServerFrame } from '../protocol.js';
import { Emitter } from './emitter.js';
import { HttpLink } from './http-link.js';
import { MessageLog } from './message-log.js';
import { closeSession, resolveHttpUrl, type Link, type LinkHost } from './link.js';
import { SessionStore } from './session-store.js';
import { SocketLink } from './socket-link.js';
import { uploadImage } from './upload.js';
import type {
  ClientEventMap,
  ConnectionState,
  HandoffInfo,
  InputHint,
  ParleyClientOptions,
  PendingMessage,
  StreamingReply,
  TypingInfo,
  VisitorIdentity,
} from './types.js';

const THINKING_TIMEOUT_MS = 20_000;
const hosts = new WeakMap<ParleyClient, LinkHost>();

/**
 * The side of a client its links talk to, for tests that play the server's part (a frame handed to
 * `receive` is applied as if it came over the socket). Not exported from the package.
 */
export function linkHostOf(client: ParleyClient): LinkHost {
  return hosts.get(client)!;
}
/** Errors after which resending cannot help: the message is shown as failed. */
const FINAL_ERRORS = new Set(['validation_failed', 'bad_request']);

const escapeText = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const textComponent = (text: string): Component => ({ type: 'text', payload: { text: escapeText(text) } });

/**
 * The headless Parley client: one visitor conversation over the WebSocket (or the HTTP API when
 * no socket can open), with everything a chat UI needs as plain state and events.
 *
 * - Messages are applied by `seq`: a replay never duplicates, a reconnect never leaves a gap.
 * - What the visitor sends goes into an outbox with a client id and is resent with the same id
 *   until acknowledged, so a message typed offline is delivered, and stored, exactly once.
 * - The session is kept in `localStorage` so a reload resumes the conversation, but nothing is
 *   written before `connect()`.
 *
 * @example
 * const client = new ParleyClient({ server: 'https://chat.example.com', site: 'pk_...' });
 * client.on('message', (m) => console.log(m.role, m.components));
 * client.connect();
 * client.sendMessage('Hello');
 */
export class ParleyClient extends Emitter<ClientEventMap> {
  /** The visitor's messages not acknowledged yet, oldest first. */
  pending: PendingMessage[] = [];
  connection: ConnectionState = 'idle';
  status: ConversationStatus | undefined;
  isTerminal = false;
  typingInfo: TypingInfo | undefined;
  private typingExpiry: ReturnType<typeof setTimeout> | undefined;
  /** The bot is working on a reply to something the visitor sent. */
  thinking = false;
  /** An AI answer being written (plain text so far); the stored message replaces it when done. */
  streaming: StreamingReply | undefined;
  handoff: HandoffInfo | undefined;
  /** Who the host page says the visitor is; `verified` once the server checked it. */
  identity: VisitorIdentity | undefined;
  verified: boolean | undefined;
  session: string | undefined;
  /** Whether an agent of the company is connected; unknown until the server says (after `connect()`). */
  agentsOnline: boolean | undefined;
  /** Sent to the server in the next `hello`; change it with `setLocale()`. */
  locale: string | undefined;
  readonly options: ParleyClientOptions;

  private readonly store: SessionStore;
  /** What the links (socket and HTTP) call back into, kept off the public API. */
  private readonly host: LinkHost;
  private read: number;
  private readonly log = new MessageLog();
  private link: Link | undefined;
  private visible = false;
  private thinkingTimer: ReturnType<typeof setTimeout> | undefined;
  /** The identity still has to reach the server (it goes in the next `hello` or an `identify`). */
  private unanswered = false;
  /** Page attributes not sent yet (`null` removes a key). */
  private attributePatch: PageAttributes | undefined;
  /** Every page attribute set so far, sent again to a new conversation (after `reset()`, a closed session). */
  private pageAttributes: PageAttributes = {};
  private counter = 0;
  private readonly onOnline = () => this.link?.wake();

  constructor(options: ParleyClientOptions) {
    super();
    this.options = options;
    this.locale = options.locale;
    this.store = new SessionStore(`parley:${new URL(options.server).origin}:${options.site ?? ''}`, options.storage);
    const saved = this.store.load();
    this.session = saved.session;
    this.read = saved.read;
    this.pending = saved.outbox;
    const client = this;
    this.host = {
      get session() {
        return client.session;
      },
      get lastSeq() {
        return client.lastSeq;
      },
      get locale() {
        return client.locale;
      },
      get claim() {
        return client.claim();
      },
      takeAttributes: () => this.takeAttributes(),
      sendable: () => this.sendable(),
      receive: (frame) => this.receive(frame),
      setConnection: (state) => this.setConnection(state),
      forgetSession: () => this.forgetSession(),
      fallBack: () => this.fallBack(),
    };
    hosts.set(this, this.host);
  }

  /** Messages of the conversation, in `seq` order. */
  get messages(): readonly ChatMessage[] {
    return this.log.messages;
  }

  /** Highest sequence number received with nothing missing below it (what `hello` resumes from). */
  get lastSeq(): number {
    return this.log.lastSeq;
  }

  /** Whether a returning visitor has a saved session (read without writing anything). */
  get hasSession(): boolean {
    return this.session !== undefined;
  }

  /** Messages from the bot, agents or the system that arrived while the chat was not visible. */
  get unread(): number {
    let count = 0;
    for (const m of this.messages) if (m.seq > this.read && m.role !== 'user') count++;
    return count;
  }

  /** The composer hint of the newest message, when it is the bot asking for typed input. */
  get inputHint(): InputHint | undefined {
    const last = this.messages[this.messages.length - 1];
    if (!last || last.role === 'user') return undefined;
    const hint = last.components.find((c) => c.type === 'input');
    return hint?.type === 'input' ? hint.payload : undefined;
  }

  /** Opens the connection (and allows storage writes). Safe to call more than once. */
  connect(): void {
    this.store.enable();
    this.persist();
    if (this.link) return;
    globalThis.addEventListener?.('online', this.onOnline);
    this.link = this.makeLink(this.options.transport === 'http' || !this.webSocket() ? 'http' : 'socket');
    this.link.open();
  }

  /** Closes the connection; `connect()` opens it again. Queued messages are kept. */
  disconnect(): void {
    globalThis.removeEventListener?.('online', this.onOnline);
    this.link?.close();
    this.link = undefined;
    clearTimeout(this.typingExpiry);
    this.setConnection('idle');
  }

  /** Sends typed text; it is shown at once and delivered exactly once, even across reconnects. */
  sendMessage(text: string, shown: Component[] = [textComponent(text)]): PendingMessage {
    return this.enqueue({ id: this.newId(), kind: 'text', text, shown, state: 'queued' });
  }

  /** Sends a filled-in `form` component (its id, the values by field name), delivered exactly once. */
  sendForm(form: string, values: Record<string, string>, shown: Component[]): PendingMessage {
    return this.enqueue({ id: this.newId(), kind: 'form', form, values, shown, state: 'queued' });
  }

  /** Sends a click: a button's value (shown as its label), a product's index, an uploaded image URL. */
  sendAction(value: string, label: string | Component[] = value): PendingMessage {
    const shown = typeof label === 'string' ? [textComponent(label)] : label;
    return this.enqueue({ id: this.newId(), kind: 'action', value, shown, state: 'queued' });
  }

  /**
   * Asks for a person (the "Talk to a person" button). The server queues the conversation for its
   * agents and answers with a notice and a `state` frame (`handoff` event). Over the HTTP fallback
   * the label is sent as text, which the server recognises too.
   */
  requestPerson(shown = 'Talk to a person'): PendingMessage {
    return this.enqueue({ id: this.newId(), kind: 'handoff', shown: [textComponent(shown)], state: 'queued' });
  }

  /** Sends a failed message again, with its same id. */
  retry(id: string): void {
    const entry = this.pending.find((p) => p.id === id);
    if (!entry) return;
    entry.state = 'queued';
    entry.error = undefined;
    this.changed();
    this.link?.flush();
  }

  /** Removes a failed message from the outbox. */
  discard(id: string): void {
    this.pending = this.pending.filter((p) => p.id !== id);
    this.changed();
  }

  /** Tells the other side that the visitor is typing (agents see it). */
  setTyping(on: boolean): void {
    this.link?.typing(on);
  }

  /** Uploads an image for this conversation and resolves with its URL (send it with `sendAction`). */
  async upload(file: Blob, onProgress?: (fraction: number) => void): Promise<string> {
    if (!this.session) throw new Error('No conversation yet');
    return uploadImage(this.options.server, this.session, file, onProgress, this.options.fetch ?? globalThis.fetch);
  }

  /** Whether the visitor can see the conversation: while visible, everything counts as read. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) this.markRead();
  }

  /**
   * Tells the server who the visitor is (see docs/identity.md). The answer comes as the
   * `identify` event, with `verified`; a verified visitor's conversation from another device may
   * replace this one.
   */
  identify(identity: VisitorIdentity): void {
    this.identity = identity;
    this.verified = undefined;
    this.unanswered = true;
    this.link?.identify();
    this.changed();
  }

  /**
   * Tells the server about the visitor's context, such as `{ plan: 'pro', cart_total: 42 }`:
   * stored on the conversation, shown to agents, read by flows as `{{attributes.plan}}` and given
   * to the AI. Values are strings (up to 500 characters), numbers or booleans; `null` removes a
   * key. Sent once connected (over the WebSocket; the HTTP fallback does not carry them).
   * Throws a `TypeError` for a bad key or value.
   */
  setAttributes(attributes: PageAttributes): void {
    const key = new RegExp(AttributeLimits.keyPattern);
    for (const [name, value] of Object.entries(attributes)) {
      const ok = value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length <= AttributeLimits.maxValueChars);
      if (!key.test(name) || !ok) throw new TypeError(`Parley: bad attribute ${name}`);
    }
    this.attributePatch = { ...this.attributePatch, ...attributes };
    this.pageAttributes = { ...this.pageAttributes, ...attributes };
    this.link?.attributes();
  }

  /** The page attributes still to send, taken by the link that sends them. */
  private takeAttributes(): PageAttributes | undefined {
    const patch = this.attributePatch;
    this.attributePatch = undefined;
    return patch;
  }

  /** The identity claim still to send, in the wire's shape. */
  private claim(): IdentityClaim | undefined {
    const i = this.identity;
    if (!i || !this.unanswered) return undefined;
    const claim = { user_id: i.id === undefined ? i.id : `${i.id}`, name: i.name, email: i.email, hash: i.hash, token: i.token };
    return Object.fromEntries(Object.entries(claim).filter(([, v]) => typeof v === 'string' && v !== '')) as IdentityClaim;
  }

  /** Forgets the conversation (for a log-out): closes the session on the server and clears storage. */
  async reset(): Promise<void> {
    const session = this.session;
    const wasConnected = this.link !== undefined;
    this.disconnect();
    this.forgetSession();
    this.pending = [];
    this.identity = this.verified = undefined;
    this.unanswered = false;
    this.store.clear();
    if (session) await closeSession(this.options.server, session, this.options.fetch ?? globalThis.fetch);
    this.changed();
    if (wasConnected) this.connect();
  }

  /** Makes a URL from the server absolute (such as `/uploads/<id>`); undefined unless http(s). */
  resolveUrl(url: string): string | undefined {
    return resolveHttpUrl(url, this.options.server);
  }

  // ---- What the links call back into (through `host`) ----------------------------------------

  private sendable(): PendingMessage[] {
    return this.pending.filter((p) => p.state === 'queued');
  }

  private setConnection(state: ConnectionState): void {
    if (state === this.connection) return;
    this.connection = state;
    this.emit('connection', state);
    this.changed();
  }

  /** The saved session is unknown or closed: start a new conversation. */
  private forgetSession(): void {
    this.session = undefined;
    this.log.clear();
    this.read = 0;
    this.status = undefined;
    this.handoff = undefined;
    this.unanswered = this.identity !== undefined;
    this.stopThinking();
    this.persist();
    this.changed();
  }

  /** No WebSocket could ever open: switch to the HTTP API. */
  private fallBack(): void {
    this.link?.close();
    this.link = this.makeLink('http');
    this.link.open();
  }

  /** Applies one server frame. Unknown frame types are ignored (forward compatibility). */
  private receive(frame: VisitorServerFrame): void {
    switch (frame.type) {
      case 'welcome':
        if (frame.session !== this.session) {
          if (this.session) this.forgetSession();
          this.session = frame.session;
          if (Object.keys(this.pageAttributes).length) this.attributePatch = { ...this.pageAttributes, ...this.attributePatch };
        }
        this.status = frame.status;
        this.isTerminal = frame.is_terminal;
        this.streaming = undefined;
        this.persist();
        break;
      case 'stream':
        if (this.streaming?.id !== frame.stream_id) this.streaming = { id: frame.stream_id, text: '' };
        this.streaming.text += frame.delta;
        this.stopThinking();
        this.typingInfo = undefined;
        break;
      case 'message':
        if (frame.stream_id !== undefined && this.streaming?.id === frame.stream_id) this.streaming = undefined;
        this.add(frame.message);
        if (frame.is_terminal !== undefined) this.isTerminal = frame.is_terminal;
        this.persist();
        break;
      case 'ack': {
        const entry = this.pending.find((p) => p.id === frame.id);
        if (!entry) return;
        this.pending = this.pending.filter((p) => p !== entry);
        this.add({ seq: frame.seq, id: `local-${entry.id}`, client_id: entry.id, role: 'user', components: entry.shown, created_at: new Date().toISOString() });
        this.persist();
        break;
      }
      case 'error': {
        const entry = frame.id ? this.pending.find((p) => p.id === frame.id) : undefined;
        if (entry && FINAL_ERRORS.has(frame.code)) {
          entry.state = 'failed';
          entry.error = frame.message;
          this.stopThinking();
          this.persist();
        } else if (entry) {
          setTimeout(() => this.link?.flush(), 1000 + (this.options.random ?? Math.random)() * 1000);
        }
        break;
      }
      case 'typing':
        this.typingInfo = frame.on ? { role: frame.role, name: frame.name } : undefined;
        // A "typing…" lives until refreshed: the typist's tab, or node, may be gone.
        clearTimeout(this.typingExpiry);
        if (frame.on) this.typingExpiry = setTimeout(() => this.expireTyping(), Typing.ttlMs);
        break;
      case 'lead':
        this.emit('lead', { id: frame.id, data: frame.data, ...(typeof frame.data.email === 'string' ? { email: frame.data.email } : {}) });
        return;
      case 'identity':
        this.unanswered = false;
        this.verified = frame.verified;
        this.emit('identify', { ...this.identity, verified: frame.verified, ...(frame.error ? { error: frame.error } : {}) });
        break;
      case 'availability':
        if (frame.online === this.agentsOnline) return;
        this.agentsOnline = frame.online;
        this.emit('availability', frame.online ? 'online' : 'offline');
        break;
      case 'state':
        this.status = frame.status;
        if (frame.status === 'waiting' || frame.status === 'agent') {
          this.handoff = { status: frame.status, position: frame.position, agent: frame.agent?.name };
          this.emit('handoff', this.handoff);
        }
        break;
      default:
        this.emit('frame', frame);
        return;
    }
    this.changed();
  }

  // ---- private -------------------------------------------------------------------------------

  private expireTyping(): void {
    if (!this.typingInfo) return;
    this.typingInfo = undefined;
    this.changed();
  }

  private add(message: ChatMessage): void {
    const unreadBefore = this.unread;
    if (!this.log.add(message)) return;
    if (message.role === 'user' && message.client_id) this.pending = this.pending.filter((p) => p.id !== message.client_id);
    if (message.role !== 'user') {
      this.stopThinking();
      this.typingInfo = undefined;
    }
    if (this.visible) this.markRead();
    else if (this.unread !== unreadBefore) this.emit('unread', this.unread);
    this.emit('message', message);
  }

  private enqueue(entry: PendingMessage): PendingMessage {
    this.pending.push(entry);
    if (entry.kind !== 'handoff' && this.status !== 'agent' && this.status !== 'waiting') {
      this.thinking = true;
      clearTimeout(this.thinkingTimer);
      this.thinkingTimer = setTimeout(() => this.stopThinking(true), THINKING_TIMEOUT_MS);
    }
    this.persist();
    this.changed();
    if (this.link) this.link.flush();
    else this.connect();
    return entry;
  }

  private stopThinking(notify = false): void {
    clearTimeout(this.thinkingTimer);
    this.thinking = false;
    if (notify) this.changed();
  }

  private markRead(): void {
    const newest = this.messages[this.messages.length - 1]?.seq ?? 0;
    if (newest <= this.read) return;
    this.read = newest;
    this.persist();
    this.emit('unread', 0);
  }

  private persist(): void {
    this.store.save({ session: this.session, read: this.read, outbox: this.pending });
  }

  private changed(): void {
    this.emit('change', undefined);
  }

  private newId(): string {
    const random = Math.floor((this.options.random ?? Math.random)() * 0x7fffffff).toString(36);
    return `m-${Date.now().toString(36)}-${random}-${++this.counter}`;
  }

  private webSocket() {
    return this.options.WebSocket ?? (globalThis.WebSocket as ParleyClientOptions['WebSocket']);
  }

  private makeLink(kind: 'socket' | 'http'): Link {
    const o = this.options;
    const timing = { server: o.server, site: o.site, minDelayMs: o.minDelayMs ?? 500, maxDelayMs: o.maxDelayMs ?? 30_000, random: o.random ?? Math.random };
    return kind === 'socket'
      ? new SocketLink(this.host, { ...timing, WebSocket: this.webSocket()!, canFallBack: o.transport !== 'websocket' })
      : new HttpLink(this.host, { ...timing, fetch: o.fetch ?? globalThis.fetch.bind(globalThis), pollMs: o.pollMs ?? 3000 });
  }
}
