import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { ParleyClient } from '../client/parley-client.js';
import type { ParleyClientOptions } from '../client/types.js';
import { ParleyChatEvent, type ParleyChatEventMap } from '../events/parley-chat-event.js';

/** What the controller reads from its host element. */
export interface ChatControllerHost extends ReactiveControllerHost, HTMLElement {
  server: string;
  site: string | undefined;
  locale: string | undefined;
  transport: ParleyClientOptions['transport'];
  availability: 'online' | 'offline' | undefined;
}

const FORWARDED = ['message', 'unread', 'lead', 'identify', 'handoff', 'connection', 'availability'] as const;

/**
 * Owns the headless client for `<parley-chat>`: creates it from the element's attributes (or
 * takes one given), re-renders the element on every change, and re-dispatches the client's
 * notifications as `parley-*` DOM events. A returning visitor (saved session) is reconnected at
 * once so the unread badge works; a first-time visitor is connected only when `connect()` is called.
 */
export class ChatController implements ReactiveController {
  private current: ParleyClient | undefined;
  private unsubscribe: Array<() => void> = [];

  constructor(private readonly host: ChatControllerHost) {
    host.addController(this);
  }

  /** The client, created on first use from the host's `server`, `site`, `locale` and `transport`. */
  get client(): ParleyClient | undefined {
    if (!this.current && this.host.server) {
      this.use(new ParleyClient({ server: this.host.server, site: this.host.site || undefined, locale: this.host.locale, transport: this.host.transport }));
    }
    return this.current;
  }

  /** Replaces the client (for a custom transport or storage). */
  use(client: ParleyClient): void {
    this.detach();
    this.current = client;
    if (this.host.isConnected) this.attach();
    this.host.requestUpdate();
  }

  /** Opens the connection (the visitor opened the chat, or the page called the API). */
  connect(): void {
    this.client?.connect();
  }

  hostConnected(): void {
    this.attach();
    if (this.client?.hasSession) this.client.connect();
  }

  hostDisconnected(): void {
    this.detach();
    this.current?.disconnect();
  }

  private attach(): void {
    const client = this.current;
    if (!client || this.unsubscribe.length) return;
    this.unsubscribe.push(client.on('change', () => this.host.requestUpdate()));
    this.unsubscribe.push(client.on('availability', (state) => (this.host.availability = state)));
    for (const name of FORWARDED) {
      this.unsubscribe.push(
        client.on(name, (detail) => this.host.dispatchEvent(new ParleyChatEvent(name, detail as ParleyChatEventMap[typeof name]))),
      );
    }
  }

  private detach(): void {
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
  }
}
