import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { User, UserRole } from '@parley/protocol';
import type { SocketState } from '../../api/agent-socket.js';
import type { Screen } from '../../controllers/router-controller.js';
import { controls } from '../../styles/shared.js';
import { ParleyNavigateEvent } from '../../events/navigate.js';
import { ParleyLogoutEvent } from '../../events/logout.js';
import { ParleyThemeToggleEvent } from '../../events/theme-toggle.js';
import { ParleyEnableNotificationsEvent } from '../../events/enable-notifications.js';
import { icons } from '../../lib/icons.js';
import { styles } from './nav-bar.styles.js';

interface Item {
  screen: Screen;
  label: string;
  icon: keyof typeof icons;
  admin?: boolean;
  /** Only the instance's owner sees it. */
  owner?: boolean;
}

const ITEMS: Item[] = [
  { screen: 'inbox', label: 'Inbox', icon: 'inbox' },
  { screen: 'search', label: 'Search', icon: 'search' },
  { screen: 'leads', label: 'Leads', icon: 'leads' },
  { screen: 'agents', label: 'Agents', icon: 'agents', admin: true },
  { screen: 'settings', label: 'Settings', icon: 'settings', admin: true },
  { screen: 'ai', label: 'AI', icon: 'ai', admin: true },
  { screen: 'bot', label: 'Bot', icon: 'bot', admin: true },
  { screen: 'webhooks', label: 'Webhooks', icon: 'webhooks', admin: true },
  { screen: 'articles', label: 'Articles', icon: 'articles', admin: true },
  { screen: 'companies', label: 'Companies', icon: 'companies', owner: true },
  { screen: 'insights', label: 'Insights', icon: 'insights', admin: true },
];

/**
 * Whether someone with `role` may open `screen`: its navigation item says who sees it (admins, or
 * the owner only); screens without an item (a conversation, the account) are everyone's.
 */
export function mayOpen(screen: Screen, role: UserRole | undefined): boolean {
  const item = ITEMS.find((i) => i.screen === screen);
  const owner = role === 'owner';
  return !item || ((!item.admin || owner || role === 'admin') && (!item.owner || owner));
}

/**
 * The navigation: a sidebar on laptops, a bottom tab bar on phones. Shows the waiting count on
 * the inbox, the connection state, who is signed in, the theme switch and sign-out.
 *
 * @event parley-navigate - a screen was picked (`detail.screen`)
 * @event parley-logout - sign out
 * @event parley-theme-toggle - switch light/dark
 * @event parley-enable-notifications - the agent wants desktop notifications
 * @csspart brand - the product name
 * @csspart link - each screen's link
 * @csspart badge - the waiting count on the inbox
 * @csspart footer - user, connection and buttons
 * @csspart account - the signed-in user's name, a link to their account
 * @csspart connection - the live connection state
 */
export class ParleyNavBar extends LitElement {
  static override styles = [controls, styles];
  static override properties = {
    current: {},
    user: { attribute: false },
    waiting: { type: Number },
    connection: {},
    dark: { type: Boolean },
    notify: {},
  };

  declare current: Screen;
  declare user: User | undefined;
  /** Chats waiting for a person. */
  declare waiting: number;
  declare connection: SocketState;
  declare dark: boolean;
  /** Desktop notification permission; `default` shows a button that asks. */
  declare notify: string;

  constructor() {
    super();
    this.current = 'inbox';
    this.waiting = 0;
    this.connection = 'idle';
    this.dark = false;
    this.notify = 'unsupported';
  }

  private go(event: MouseEvent, screen: Screen): void {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    this.dispatchEvent(new ParleyNavigateEvent({ screen }));
  }

  override render(): TemplateResult {
    const owner = this.user?.role === 'owner';
    const admin = owner || this.user?.role === 'admin';
    const live = this.connection === 'open';
    return html`
      <div part="brand">Parley</div>
      <nav aria-label="Dashboard">
        ${ITEMS.filter((item) => mayOpen(item.screen, this.user?.role)).map(
          (item) => html`<a part="link" href=${`/admin/${item.screen}`} data-screen=${item.screen} aria-current=${this.current === item.screen ? 'page' : 'false'} @click=${(e: MouseEvent) => this.go(e, item.screen)}>
            ${icons[item.icon]}<span>${item.label}</span>
            ${item.screen === 'inbox' && this.waiting ? html`<span part="badge" aria-label=${`${this.waiting} waiting`}>${this.waiting}</span>` : nothing}
          </a>`,
        )}
      </nav>
      <div part="footer">
        <div part="connection" class=${live ? 'open' : ''} role="status" title=${live ? 'Live' : 'Not connected'}>
          <span class="label">${live ? 'Live' : this.connection === 'closed' ? 'Offline' : 'Reconnecting…'}</span>
        </div>
        <a class="me" part="account" href="/admin/account" data-screen="account" aria-current=${this.current === 'account' ? 'page' : 'false'} title="Your account (${this.user?.email ?? ''})" @click=${(e: MouseEvent) => this.go(e, 'account')}>
          <span class="initial" aria-hidden="true">${(this.user?.name ?? '?').slice(0, 1).toUpperCase()}</span>
          <span class="label">${this.user?.name ?? ''} <span class="muted">· ${this.user?.role ?? ''}</span></span>
        </a>
        <div class="row">
          ${this.notify === 'default'
            ? html`<button data-action="notify" title="Desktop notifications when a visitor waits" aria-label="Turn on desktop notifications" @click=${() => this.dispatchEvent(new ParleyEnableNotificationsEvent())}>${icons.bell}</button>`
            : nothing}
          <button data-action="theme" @click=${() => this.dispatchEvent(new ParleyThemeToggleEvent({}))} aria-label=${this.dark ? 'Light theme' : 'Dark theme'}>
            ${this.dark ? icons.sun : icons.moon}
          </button>
          <button data-action="logout" @click=${() => this.dispatchEvent(new ParleyLogoutEvent({}))} aria-label="Sign out">
            ${icons.logout}<span class="label">Sign out</span>
          </button>
        </div>
      </div>
    `;
  }
}
