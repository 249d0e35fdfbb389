import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChatSummary } from '@parley/protocol';
import type { SocketLike } from '../api/agent-socket.js';
import { InboxStore } from '../store/inbox-store.js';
import { SavedRepliesStore } from '../store/saved-replies-store.js';
import { SessionStore, type KeyValueStorage } from '../store/session-store.js';

/** Options of {@link DashboardController}, mostly for tests. */
export interface DashboardOptions {
  baseUrl?: string;
  socketUrl?: string;
  storage?: KeyValueStorage;
  WebSocket?: new (url: string) => SocketLike;
  onHandoff?: (chat: ChatSummary) => void;
}

/**
 * The dashboard's whole session, headless: who is signed in, and while they are, the live inbox
 * and the company's saved replies (loaded when first needed). Starts the agent socket on sign-in,
 * stops it on sign-out, and re-renders the host on changes.
 */
export class DashboardController implements ReactiveController {
  readonly session: SessionStore;
  inbox: InboxStore | undefined;
  /** The saved replies of this session: a new sign-in starts with none loaded. */
  savedReplies: SavedRepliesStore | undefined;
  private stops: Array<() => void> = [];

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: DashboardOptions = {},
  ) {
    this.session = new SessionStore({ baseUrl: options.baseUrl, storage: options.storage });
    host.addController(this);
  }

  hostConnected(): void {
    this.stops.push(this.session.subscribe(() => this.sync()));
    if (this.session.status === 'checking') void this.session.restore();
  }

  hostDisconnected(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
    this.inbox?.stop();
    this.inbox = undefined;
    this.savedReplies = undefined;
  }

  private sync(): void {
    const signedIn = this.session.status === 'signed-in';
    if (signedIn && !this.inbox) {
      const inbox = new InboxStore(this.session, { socketUrl: this.options.socketUrl, WebSocket: this.options.WebSocket, onHandoff: this.options.onHandoff });
      this.inbox = inbox;
      this.savedReplies = new SavedRepliesStore(this.session.api);
      this.stops.push(inbox.subscribe(() => this.host.requestUpdate()));
      inbox.start();
    } else if (!signedIn && this.inbox) {
      this.inbox.stop();
      this.inbox = undefined;
      this.savedReplies = undefined;
    }
    this.host.requestUpdate();
  }
}
