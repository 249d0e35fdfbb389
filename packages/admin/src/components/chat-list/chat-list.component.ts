import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { ChatSummary } from '@parley/protocol';
import { controls } from '../../styles/shared.js';
import { inboxFilters, type InboxFilter } from '../../store/chat-order.js';
import { shortAge, statusLabel, visitorName } from '../../lib/format.js';
import { ParleyFilterChangeEvent } from '../../events/filter-change.js';
import { ParleyNavigateEvent } from '../../events/navigate.js';
import { ParleyLoadMoreEvent } from '../../events/load-more.js';
import { styles } from './chat-list.styles.js';

const PREFIX: Record<string, string> = { user: '', bot: 'Bot: ', agent: 'Agent: ', system: '' };

/**
 * The inbox: status filters with counts, then one row per chat with the visitor, a status badge,
 * the last message, its age and the unread count. Waiting chats are highlighted with their place
 * in the queue. Rows are links, so they open in a new tab too.
 *
 * @event parley-filter-change - a filter was picked (`detail.filter`)
 * @event parley-navigate - a chat was opened (`detail.conversationId`)
 * @event parley-load-more - the agent asked for older chats
 * @csspart filters - the filter bar; `filter` each filter button
 * @csspart list - the list of chats; `item` each row
 * @csspart avatar - the visitor's initial (with an online dot)
 * @csspart preview - the last message
 * @csspart badge - the status badge
 * @csspart unread - the unread count
 * @csspart empty - the message shown when no chat matches
 * @csspart more - the "Load older" button
 * @cssprop --parley-waiting - colour of the waiting queue
 */
export class ParleyChatList extends LitElement {
  static override styles = [controls, styles];
  static override properties = {
    chats: { attribute: false },
    counts: { attribute: false },
    filter: {},
    selectedId: { attribute: 'selected-id' },
    me: {},
    more: { type: Boolean },
  };

  /** The chats to show, already filtered and in order. */
  declare chats: ChatSummary[];
  /** Chats and unread messages under each filter. */
  declare counts: Partial<Record<InboxFilter, { chats: number; unread: number }>>;
  declare filter: InboxFilter;
  /** The open conversation's id. */
  declare selectedId: string;
  /** The signed-in user's id ("you" as assignee). */
  declare me: string;
  /** Older chats may exist: show "Load older". */
  declare more: boolean;

  constructor() {
    super();
    this.chats = [];
    this.counts = {};
    this.filter = 'all';
    this.selectedId = '';
    this.me = '';
    this.more = false;
  }

  private pick(filter: InboxFilter): void {
    this.dispatchEvent(new ParleyFilterChangeEvent({ filter }));
  }

  private open(event: MouseEvent, id: string): void {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    this.dispatchEvent(new ParleyNavigateEvent({ screen: 'inbox', conversationId: id }));
  }

  private badge(chat: ChatSummary): TemplateResult {
    if (chat.status === 'waiting') return html`<span part="badge" class="waiting">Waiting${chat.queue_position ? ` #${chat.queue_position}` : ''}</span>`;
    if (chat.status === 'agent') return html`<span part="badge">${chat.assignee ? (chat.assignee.id === this.me ? 'You' : chat.assignee.name) : 'Agent'}</span>`;
    return html`<span part="badge">${statusLabel[chat.status]}</span>`;
  }

  private row(chat: ChatSummary): TemplateResult {
    const name = visitorName(chat);
    const last = chat.last_message;
    const classes = [chat.status === 'waiting' ? 'waiting' : '', chat.unread_count ? 'unread' : ''].join(' ');
    return html`<li>
      <a
        part="item"
        class=${classes}
        href=${`/admin/inbox/${encodeURIComponent(chat.id)}`}
        aria-current=${chat.id === this.selectedId ? 'true' : 'false'}
        data-id=${chat.id}
        @click=${(e: MouseEvent) => this.open(e, chat.id)}
      >
        <span part="avatar" class=${chat.visitor.online ? 'online' : ''} aria-hidden="true">${name.slice(0, 1).toUpperCase()}</span>
        <span class="name">${name}</span>
        <span class="age">${shortAge(last?.created_at ?? chat.updated_at)}</span>
        <span part="preview">${last ? `${PREFIX[last.role] ?? ''}${last.text}` : 'No messages yet'}</span>
        <span class="side">
          ${this.badge(chat)}
          ${chat.unread_count ? html`<span part="unread" aria-label=${`${chat.unread_count} unread`}>${chat.unread_count}</span>` : nothing}
        </span>
      </a>
    </li>`;
  }

  override render(): TemplateResult {
    return html`
      <div part="filters" role="toolbar" aria-label="Filter chats">
        ${inboxFilters.map(({ id, label }) => {
          const count = this.counts[id];
          return html`<button part="filter" class=${id} data-filter=${id} aria-pressed=${this.filter === id ? 'true' : 'false'} @click=${() => this.pick(id)}>
            ${label}${count && id !== 'resolved' ? html` <span class="count ${count.chats ? 'some' : ''}">${count.chats}</span>` : nothing}
          </button>`;
        })}
      </div>
      ${this.chats.length
        ? html`<ul part="list">
            ${this.chats.map((chat) => this.row(chat))}
            ${this.more ? html`<li><button part="more" @click=${() => this.dispatchEvent(new ParleyLoadMoreEvent())}>Load older</button></li>` : nothing}
          </ul>`
        : html`<div part="empty">${this.filter === 'waiting' ? 'Nobody is waiting. 🎉' : 'No conversations here.'}</div>`}
    `;
  }
}
