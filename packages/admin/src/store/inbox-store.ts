import type { ChatMessage, ChatSummary } from '@parley/protocol';
import { AgentSocket, pageSocketUrl, type SocketLike, type SocketState } from '../api/agent-socket.js';
import { ApiRequestError, errorMessage } from '../api/errors.js';
import { Notifier } from '../lib/observable.js';
import type { SessionStore } from './session-store.js';
import { applyAgentFrame, type FrameSteps } from './agent-frames.js';
import type { InboxFilter } from './chat-order.js';
import { ChatPages } from './chat-pages.js';
import { MessageLog } from './message-log.js';
import { NoteBook } from './note-book.js';
import { ReplyOutbox, type PendingReply } from './reply-outbox.js';
import { TypingTracker } from './typing-tracker.js';

export type { PendingReply } from './reply-outbox.js';
export type { TypingState } from './typing-tracker.js';

/** Options of {@link InboxStore}. */
export interface InboxStoreOptions {
  /** The `/ws/agent` URL; defaults to the page's origin. */
  socketUrl?: string;
  WebSocket?: new (url: string) => SocketLike;
  /** Hears about hand-offs (the app shows a notification). */
  onHandoff?: (chat: ChatSummary) => void;
}

/**
 * The live inbox, headless: every chat of the company and the messages of the ones opened, kept
 * current by the agent socket (its frames are applied in `agent-frames.ts`). After every
 * (re)connect it reloads the first page of each list shown so far and whatever each opened
 * conversation missed, so a dropped connection loses nothing nor keeps what was deleted meanwhile.
 */
export class InboxStore extends Notifier {
  connection: SocketState = 'idle';
  private readonly pages = new ChatPages({
    fetch: (query) => this.session.api.listChats(query),
    me: () => this.session.user?.id,
    listable: (id) => !this.deleted.has(id),
    kept: (id) => this.messages.get(id) !== undefined,
  });
  /** The chats held, by id: pages of the list, plus what frames and actions brought. */
  readonly chats = this.pages.chats;
  /** Messages of the conversations opened so far. */
  readonly messages = new MessageLog(
    (id, after, limit) => this.session.api.messages(id, after, limit),
    (stored) => {
      for (const message of stored) if (message.client_id) this.pending.stored(message.client_id);
      this.changed();
    },
  );
  /** Internal notes of the conversations opened so far (agents only); `notes.write` / `notes.erase` add and delete them. */
  readonly notes = new NoteBook(() => this.session.api, () => this.changed(), (error) => this.fail(error));
  readonly variables = new Map<string, Record<string, unknown>>();
  /** Page attributes of each loaded conversation (`Parley.setAttributes` on the site). */
  readonly attributes = new Map<string, Record<string, unknown>>();
  /** Replies sent and not stored yet. */
  readonly pending = new ReplyOutbox();
  /** Who is typing where (the visitor, other agents). */
  readonly typing = new TypingTracker(() => this.changed());
  readonly onlineAgents = new Map<string, string>();
  /** The conversation on screen: new visitor messages in it are marked read at once. */
  activeId: string | undefined;
  /** Conversations the server says do not exist (or belong to another company). */
  readonly missing = new Set<string>();
  /** Conversations deleted while the dashboard was open: nothing about them is kept or taken back. */
  readonly deleted = new Set<string>();
  /** The last failure of a background load or action, for a banner. */
  error = '';
  loaded = false;
  private readonly socket: AgentSocket;
  /** What socket frames have the store do beyond changing its state. */
  private readonly frameSteps: FrameSteps = {
    receive: (conversationId, message) => this.onMessage(conversationId, message),
    forget: (conversationId) => this.forget(conversationId),
    failReply: (clientId, reason) => this.failPending(clientId, reason),
    handoff: (chat) => this.options.onHandoff?.(chat),
    readIfOnScreen: (conversationId) => this.readIfOnScreen(conversationId),
  };

  constructor(
    private readonly session: SessionStore,
    private readonly options: InboxStoreOptions = {},
  ) {
    super();
    this.socket = new AgentSocket({
      url: options.socketUrl ?? pageSocketUrl(),
      token: () => session.token,
      WebSocket: options.WebSocket,
      onFrame: (frame) => {
        if (applyAgentFrame(frame, this, this.frameSteps)) this.changed();
      },
      onState: (state) => {
        const wasDown = this.connection === 'reconnecting' || this.connection === 'connecting';
        this.connection = state;
        if (state === 'open' && wasDown) void this.resync();
        this.changed();
      },
      onRefused: () => void session.api.verify().catch(() => undefined),
      onUnauthorized: () => session.expire('Your session has ended. Please sign in again.'),
    });
  }

  /** Connects and loads the inbox (the list loads over REST at once, and again when the socket is up). */
  start(): void {
    this.socket.start();
    void this.loadChats();
  }

  /** Disconnects for good (sign-out). */
  stop(): void {
    this.socket.stop();
    this.typing.clear();
  }

  /** Drops the socket as a network failure would (it then reconnects with backoff). */
  reconnect(): void {
    this.socket.drop();
  }

  /** Skips the backoff wait: tries to connect again now (the banner's "Retry now"). */
  retryNow(): void {
    if (this.connection === 'reconnecting') this.socket.start();
  }

  /** Chats under a filter, in inbox order. */
  list(filter: InboxFilter): ChatSummary[] {
    return this.pages.list(filter);
  }

  /** How many chats each filter holds, and their unread visitor messages. */
  count(filter: InboxFilter): { chats: number; unread: number } {
    const list = this.list(filter);
    return { chats: list.length, unread: list.reduce((sum, chat) => sum + chat.unread_count, 0) };
  }

  /**
   * Loads chats (all, or one filter's) and merges them in; the first page replaces what it covers
   * (see {@link ChatPages}). With `older`, loads the page before the oldest chat held under that
   * filter. Remembers whether the server may have more.
   */
  async loadChats(filter: InboxFilter = 'all', older = false): Promise<void> {
    try {
      await this.pages.load(filter, older);
      this.loaded = true;
      this.changed();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Whether older chats may exist under a filter (the last page was full). */
  hasMore(filter: InboxFilter): boolean {
    return this.pages.hasMore(filter);
  }

  /** Loads a conversation's details, its messages (only what is missing when already loaded) and its notes. */
  async open(conversationId: string): Promise<void> {
    this.activeId = conversationId;
    const detail = this.session.api.getChat(conversationId).then(({ chat, variables, attributes }) => {
      if (this.deleted.has(chat.id)) return;
      this.chats.set(chat.id, chat);
      this.variables.set(chat.id, variables);
      this.attributes.set(chat.id, attributes ?? {});
    });
    // The messages decide whether the conversation exists; a notes failure only shows in the banner.
    const notes = this.notes.load(conversationId).catch((error: unknown) => this.failUnlessMissing(error));
    try {
      await Promise.all([detail, this.messages.fetchAfter(conversationId), notes]);
      this.changed();
      this.markRead(conversationId);
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 404) {
        this.missing.add(conversationId);
        this.changed();
      } else this.fail(error);
    }
  }

  /** Sends a reply over the socket (REST when it is down); it shows as pending until stored. */
  reply(conversationId: string, text: string): void {
    const clientId = this.pending.add(conversationId, text);
    this.changed();
    if (this.socket.send({ type: 'reply', id: clientId, conversation_id: conversationId, text })) return;
    this.session.api.reply(conversationId, { text, client_id: clientId }).then(
      ({ message }) => this.onMessage(conversationId, message, true),
      (error: unknown) => this.failPending(clientId, errorMessage(error)),
    );
  }

  /** Tries a failed reply again. */
  retry(clientId: string): void {
    const pending = this.pending.take(clientId);
    if (pending) this.reply(pending.conversationId, pending.text);
  }

  /** Replies of a conversation not stored yet. */
  pendingIn(conversationId: string): PendingReply[] {
    return this.pending.in(conversationId);
  }

  /** Tells the visitor the agent is typing (or stopped). */
  setTyping(conversationId: string, on: boolean): void {
    this.socket.send({ type: 'typing', conversation_id: conversationId, on });
  }

  /** Marks every visitor message of a conversation read (only when there are unread ones). */
  markRead(conversationId: string): void {
    const chat = this.chats.get(conversationId);
    const list = this.messages.get(conversationId) ?? [];
    const lastVisitor = [...list].reverse().find((m) => m.role === 'user');
    if (!chat || chat.unread_count === 0 || !lastVisitor) return;
    this.chats.set(conversationId, { ...chat, unread_count: 0 });
    this.changed();
    if (!this.socket.send({ type: 'read', conversation_id: conversationId, seq: lastVisitor.seq })) {
      this.session.api.markRead(lastVisitor.id).then(
        ({ unread_count }) => {
          const now = this.chats.get(conversationId);
          if (now) this.chats.set(conversationId, { ...now, unread_count });
          this.changed();
        },
        (error: unknown) => this.fail(error),
      );
    }
  }

  /** Claims, resolves or hands a conversation back to the bot, then refreshes it. */
  async act(conversationId: string, action: 'claim' | 'resolve' | 'return-to-bot'): Promise<boolean> {
    const api = this.session.api;
    try {
      const { chat } = await (action === 'claim' ? api.claim(conversationId) : action === 'resolve' ? api.resolve(conversationId) : api.returnToBot(conversationId));
      this.chats.set(chat.id, chat);
      this.changed();
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  /**
   * Deletes a conversation for good (admins and the owner): its messages, uploads and leads go
   * too. Resolves false, with {@link error} set, when the server refuses.
   */
  async deleteChat(conversationId: string): Promise<boolean> {
    try {
      await this.session.api.deleteChat(conversationId);
    } catch (error) {
      this.fail(error);
      return false;
    }
    this.forget(conversationId);
    return true;
  }

  /** A conversation's transcript as plain text; undefined (and the banner says why) when it cannot be had. */
  async transcript(conversationId: string): Promise<string | undefined> {
    try {
      return await this.session.api.transcript(conversationId);
    } catch (error) {
      this.fail(error);
      return undefined;
    }
  }

  /** Forgets the banner error. */
  clearError(): void {
    this.error = '';
    this.changed();
  }

  private onMessage(conversationId: string, message: ChatMessage, notify = false): void {
    if (message.client_id) this.pending.stored(message.client_id);
    if (notify) this.changed();
    if (message.role === 'user') this.typing.set(conversationId, 'user', false);
    if (this.messages.add(conversationId, message) !== 'added') return;
    if (message.role === 'user') this.readIfOnScreen(conversationId);
  }

  /** Marks a conversation read soon if it is the one on screen and the page is visible. */
  private readIfOnScreen(conversationId: string): void {
    if (conversationId === this.activeId && isVisible()) queueMicrotask(() => this.markRead(conversationId));
  }

  /** After a (re)connect: the first page of every list loaded so far, and what each opened conversation missed (messages and notes). */
  private async resync(): Promise<void> {
    const filters = new Set<InboxFilter>(['all', ...this.pages.loadedFilters()]);
    await Promise.all([...filters].map((filter) => this.loadChats(filter)));
    // A conversation deleted while the socket was down answers 404: its deletion frame was missed.
    const refetch = (id: string) => this.messages.fetchAfter(id).catch((error: unknown) => (error instanceof ApiRequestError && error.status === 404 ? this.forget(id) : this.fail(error)));
    const reloadNotes = (id: string) => this.notes.load(id).catch((error: unknown) => this.failUnlessMissing(error));
    await Promise.all([...[...this.messages.keys()].map(refetch), ...[...this.notes.keys()].map(reloadNotes)]);
    if (this.activeId) this.markRead(this.activeId);
  }

  /** Drops a deleted conversation from every list, with its messages, replies not sent and typing. */
  private forget(conversationId: string): void {
    this.deleted.add(conversationId);
    this.missing.delete(conversationId);
    this.chats.delete(conversationId);
    this.variables.delete(conversationId);
    this.attributes.delete(conversationId);
    this.messages.delete(conversationId);
    this.notes.forget(conversationId);
    this.typing.delete(conversationId);
    this.pending.dropConversation(conversationId);
    this.changed();
  }

  private failPending(clientId: string, error: string): void {
    this.pending.fail(clientId, error);
    this.changed();
  }

  private fail(error: unknown): void {
    this.error = errorMessage(error);
    this.changed();
  }

  /** A 404 is the messages' to report (the conversation is missing or was deleted). */
  private failUnlessMissing(error: unknown): void {
    if (!(error instanceof ApiRequestError && error.status === 404)) this.fail(error);
  }
}

function isVisible(): boolean {
  return typeof document === 'undefined' || document.visibilityState !== 'hidden';
}
