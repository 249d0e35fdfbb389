import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { ChatSummary, RatingView, User } from '@parley/protocol';
import { controls } from '../../styles/shared.js';
import { DashboardController, type DashboardOptions } from '../../controllers/dashboard-controller.js';
import { RouterController, type Route } from '../../controllers/router-controller.js';
import { ThemeController } from '../../controllers/theme-controller.js';
import { NotifyController } from '../../controllers/notify-controller.js';
import { visitorName } from '../../lib/format.js';
import { icons } from '../../lib/icons.js';
import type { InboxFilter } from '../../store/chat-order.js';
import type { InboxStore } from '../../store/inbox-store.js';
import { shortcut } from './shortcuts.js';
import { styles } from './admin-app.styles.js';
import { saveFile } from '../../lib/save-file.js';
import { mayOpen } from '../nav-bar/nav-bar.component.js';

/**
 * The dashboard: sign-in, then the navigation and the current screen (inbox with the open
 * conversation, search, leads, agents, settings; companies for the owner). It wires events from the screens to the
 * headless stores and keeps only view state (the inbox filter, a hand-off toast) itself.
 * Keyboard: `j`/`k` next/previous chat, `r` reply, `n` note, `/` search, `Esc` back to the list.
 *
 * @csspart shell - navigation and main area
 * @csspart main - the current screen
 * @csspart inbox - chat list and conversation
 * @csspart conversation - the open conversation (or a placeholder)
 * @csspart banner - a connection or action problem
 * @csspart toast - "a visitor is waiting" notice
 */
export class ParleyAdminApp extends LitElement {
  static override styles = [controls, styles];
  static override properties = { filter: { state: true }, busy: { state: true }, toast: { state: true }, ratings: { state: true } };

  /** Options for the stores; set before the element is connected (tests point it at a server). */
  static options: DashboardOptions = {};

  declare private filter: InboxFilter;
  declare private busy: boolean;
  declare private toast: ChatSummary | undefined;
  /** Ratings of the conversations opened, by id (null: not rated). */
  private ratings = new Map<string, RatingView | null>();
  private toastTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly dash = new DashboardController(this, { ...ParleyAdminApp.options, onHandoff: (chat) => this.onHandoff(chat) });
  private readonly router = new RouterController(this);
  private readonly theme = new ThemeController(this);
  private readonly notifications = new NotifyController(this);
  /** Re-renders now and then so ages ("5 min") stay true. */
  private ticker: ReturnType<typeof setInterval> | undefined;
  private openedId: string | undefined;
  private openedIn: InboxStore | undefined;

  constructor() {
    super();
    this.filter = 'all';
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onKey);
    this.ticker = setInterval(() => this.requestUpdate(), 30_000);
  }

  /** The visitor's rating of a conversation (CSAT), shown in its Details. */
  private async loadRating(id: string): Promise<void> {
    try {
      const { rating } = await this.dash.session.api.chatRating(id);
      this.ratings = new Map(this.ratings).set(id, rating);
    } catch {
      // A conversation gone or out of reach shows no rating.
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onKey);
    clearInterval(this.ticker);
  }

  protected override updated(): void {
    const inbox = this.dash.inbox;
    const waiting = inbox ? inbox.count('waiting').chats : 0;
    document.title = waiting ? `(${waiting}) Parley` : 'Parley';
    const id = this.router.route.screen === 'inbox' ? this.router.route.conversationId : undefined;
    if (inbox && (id !== this.openedId || inbox !== this.openedIn)) {
      this.openedId = id;
      this.openedIn = inbox;
      if (id && this.toast?.id === id) this.toast = undefined;
      inbox.activeId = id;
      if (id) void inbox.open(id);
      if (id) void this.loadRating(id);
    }
  }

  private go(route: Route): void {
    this.router.go(route);
  }

  private onHandoff(chat: ChatSummary): void {
    this.notifications.show('A visitor is waiting for a person', visitorName(chat), chat.id, () => this.go({ screen: 'inbox', conversationId: chat.id }));
    this.toast = chat;
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => (this.toast = undefined), 8000);
  }

  private async act(inbox: InboxStore, id: string, action: 'claim' | 'resolve' | 'return-to-bot'): Promise<void> {
    this.busy = true;
    const ok = await inbox.act(id, action);
    this.busy = false;
    if (ok && action === 'claim') this.renderRoot.querySelector('parley-conversation-view')?.focusComposer();
  }

  /** Deletes a conversation (already confirmed); once it is gone, back to the inbox without a history entry to return to it. */
  private async deleteChat(inbox: InboxStore, id: string): Promise<void> {
    this.busy = true;
    const ok = await inbox.deleteChat(id);
    this.busy = false;
    if (ok && this.router.route.conversationId === id) this.router.go({ screen: 'inbox' }, true);
  }

  /** Adds an internal note; if the server refuses, the banner says why and the text goes back in the composer. */
  private async addNote(inbox: InboxStore, id: string, text: string): Promise<void> {
    const ok = await inbox.notes.write(id, text);
    if (!ok && this.router.route.conversationId === id) this.renderRoot.querySelector('parley-conversation-view')?.restoreNote(text);
  }

  /** Fetches a conversation's transcript and hands it to the browser as `conversation-<id>.txt`. */
  private async downloadTranscript(inbox: InboxStore, id: string): Promise<void> {
    const text = await inbox.transcript(id);
    if (text !== undefined) saveFile(text, 'text/plain;charset=utf-8', `conversation-${id}.txt`);
  }

  private readonly onKey = (event: KeyboardEvent): void => {
    const inbox = this.dash.inbox;
    if (!inbox) return;
    const route = shortcut(event, this.router.route, inbox.list(this.filter).map((c) => c.id));
    if (!route) return;
    event.preventDefault();
    if (route === 'reply' || route === 'note') this.renderRoot.querySelector('parley-conversation-view')?.focusComposer(route);
    else this.go(route);
  };

  private inboxScreen(inbox: InboxStore): TemplateResult {
    const id = this.router.route.conversationId;
    const chat = id ? inbox.chats.get(id) : undefined;
    const counts = Object.fromEntries((['all', 'waiting', 'mine', 'agent', 'bot', 'resolved'] as const).map((f) => [f, inbox.count(f)]));
    const me = this.dash.session.user?.id ?? '';
    return html`<div part="inbox" class=${id ? 'open' : ''}>
      <parley-chat-list
        .chats=${inbox.list(this.filter)}
        .counts=${counts}
        filter=${this.filter}
        selected-id=${id ?? ''}
        me=${me}
        ?more=${inbox.hasMore(this.filter)}
        @parley-load-more=${() => inbox.loadChats(this.filter, true)}
        @parley-filter-change=${(e: CustomEvent<{ filter: InboxFilter }>) => {
          this.filter = e.detail.filter;
          void inbox.loadChats(this.filter);
        }}
      ></parley-chat-list>
      ${id
        ? html`<parley-conversation-view
            part="conversation"
            .chat=${chat}
            .messages=${inbox.messages.get(id) ?? []}
            .notes=${inbox.notes.get(id) ?? []}
            .pending=${inbox.pendingIn(id)}
            .typing=${inbox.typing.get(id)}
            .variables=${inbox.variables.get(id)}
            .pageAttributes=${inbox.attributes.get(id)}
            .rating=${this.ratings.get(id) ?? null}
            .savedReplies=${this.dash.savedReplies}
            me=${me}
            ?admin=${this.dash.session.isAdmin}
            ?missing=${inbox.missing.has(id)}
            ?deleted=${inbox.deleted.has(id)}
            ?busy=${this.busy}
            @parley-chat-action=${(e: CustomEvent<{ action: 'claim' | 'resolve' | 'return-to-bot' }>) => this.act(inbox, id, e.detail.action)}
            @parley-chat-delete=${() => this.deleteChat(inbox, id)}
            @parley-transcript-download=${() => this.downloadTranscript(inbox, id)}
            @parley-reply=${(e: CustomEvent<{ text: string }>) => inbox.reply(id, e.detail.text)}
            @parley-note=${(e: CustomEvent<{ text: string }>) => this.addNote(inbox, id, e.detail.text)}
            @parley-note-delete=${(e: CustomEvent<{ noteId: string }>) => inbox.notes.erase(id, e.detail.noteId)}
            @parley-typing=${(e: CustomEvent<{ on: boolean }>) => inbox.setTyping(id, e.detail.on)}
            @parley-retry=${(e: CustomEvent<{ clientId: string }>) => inbox.retry(e.detail.clientId)}
          ></parley-conversation-view>`
        : html`<div part="conversation placeholder" class="placeholder">${inbox.loaded ? 'Pick a conversation. Waiting visitors are on top.' : 'Loading…'}</div>`}
    </div>`;
  }

  private screen(inbox: InboxStore): TemplateResult {
    const api = this.dash.session.api;
    // A screen someone may not open (an agent typing /admin/settings) shows their inbox instead; the API refuses them anyway.
    if (!mayOpen(this.router.route.screen, this.dash.session.user?.role)) return this.inboxScreen(inbox);
    switch (this.router.route.screen) {
      case 'search':
        return html`<parley-search-view part="screen" .api=${api}></parley-search-view>`;
      case 'leads':
        return html`<parley-leads-view part="screen" .api=${api}></parley-leads-view>`;
      case 'agents':
        return html`<parley-agents-view part="screen" .api=${api} me=${this.dash.session.user?.id ?? ''} .online=${new Set(inbox.onlineAgents.keys())}></parley-agents-view>`;
      case 'settings':
        return html`<parley-settings-view part="screen" .api=${api} .savedReplies=${this.dash.savedReplies} ?admin=${this.dash.session.isAdmin}></parley-settings-view>`;
      case 'account':
        return html`<parley-account-view
          part="screen"
          .api=${api}
          .user=${this.dash.session.user}
          ?dark=${this.theme.dark}
          @parley-theme-toggle=${() => this.theme.toggle()}
          @parley-user-change=${(e: CustomEvent<{ user: User }>) => this.dash.session.updateUser(e.detail.user)}
        ></parley-account-view>`;
      case 'ai':
        return html`<parley-ai-view part="screen" .api=${api}></parley-ai-view>`;
      case 'webhooks':
        return html`<parley-webhooks-view part="screen" .api=${api}></parley-webhooks-view>`;
      case 'insights':
        // Loaded on first visit: its charts cost nothing to agents who never open it.
        void import('../insights-view/insights-view.js');
        return html`<parley-insights-view part="screen" .api=${api}></parley-insights-view>`;
      case 'articles':
        return html`<parley-articles-view part="screen" .api=${api}></parley-articles-view>`;
      case 'bot':
        // The builder is its own chunk, loaded the first time its screen opens.
        void import('../bot-builder/bot-builder.js');
        return html`<parley-bot-builder part="screen" .api=${api} ?dark=${this.theme.dark}></parley-bot-builder>`;
      case 'companies':
        return html`<parley-companies-view part="screen" .api=${api} own=${this.dash.session.user?.company_id ?? ''}></parley-companies-view>`;
      default:
        return this.inboxScreen(inbox);
    }
  }

  override render(): TemplateResult {
    const session = this.dash.session;
    if (session.status === 'checking') return html`<div class="checking">Loading…</div>`;
    const inbox = this.dash.inbox;
    if (session.status === 'signed-out' || !inbox) {
      return html`<parley-login-form
        error=${session.error}
        @parley-login=${async (e: CustomEvent<{ email: string; password: string }>) => {
          this.busy = true;
          await session.login(e.detail.email, e.detail.password);
          this.busy = false;
        }}
        ?busy=${this.busy}
      ></parley-login-form>`;
    }
    const toast = this.toast && !inbox.deleted.has(this.toast.id) ? this.toast : undefined;
    return html`<div part="shell">
      <parley-nav-bar
        current=${this.router.route.screen}
        .user=${session.user}
        waiting=${inbox.count('waiting').chats}
        connection=${inbox.connection}
        ?dark=${this.theme.dark}
        notify=${this.notifications.permission}
        @parley-enable-notifications=${() => this.notifications.request()}
        @parley-navigate=${(e: CustomEvent<Route>) => this.go(e.detail)}
        @parley-logout=${() => session.logout()}
        @parley-theme-toggle=${() => this.theme.toggle()}
      ></parley-nav-bar>
      <main part="main" @parley-navigate=${(e: CustomEvent<Route>) => this.go(e.detail)}>
        ${inbox.connection === 'reconnecting' ? html`<div part="banner" role="status"><span>Connection lost. Reconnecting…</span><button @click=${() => inbox.retryNow()}>Retry now</button></div>` : nothing}
        ${inbox.error ? html`<div part="banner" role="alert"><span>${inbox.error}</span><button @click=${() => inbox.clearError()}>Dismiss</button></div>` : nothing}
        ${toast
          ? html`<button part="toast" @click=${() => ((this.toast = undefined), this.go({ screen: 'inbox', conversationId: toast.id }))}>
              ${icons.bell} ${visitorName(toast)} is waiting for a person
            </button>`
          : nothing}
        ${this.screen(inbox)}
      </main>
    </div>`;
  }
}
