import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { escapeHtml, type ChatMessage, type ChatSummary, type NoteView, type RatingView } from '@parley/protocol';
import { controls } from '../../styles/shared.js';
import { ago, statusLabel, visitorName } from '../../lib/format.js';
import { icons } from '../../lib/icons.js';
import type { PendingReply, TypingState } from '../../store/inbox-store.js';
import type { SavedRepliesStore } from '../../store/saved-replies-store.js';
import type { ComposerMode } from '../composer/composer.component.js';
import { ParleyChatActionEvent } from '../../events/chat-action.js';
import { ParleyChatDeleteEvent } from '../../events/chat-delete.js';
import { ParleyNavigateEvent } from '../../events/navigate.js';
import { ParleyTranscriptDownloadEvent } from '../../events/transcript-download.js';
import { styles } from './conversation-view.styles.js';

const REASONS: Record<string, string> = {
  visitor: 'The visitor asked for a person',
  flow: 'The bot flow handed this conversation over',
  ai: 'The AI assistant handed this conversation over',
  api: 'Your bot handed this visitor over',
};

/** What the admin is asked before a conversation is deleted. */
export const DELETE_QUESTION =
  'Delete this conversation for good? Its messages, the files the visitor uploaded and the leads it produced are deleted too, for everyone. This cannot be undone.';

/**
 * One conversation: a header with the visitor and the actions that fit its state (claim, resolve,
 * return to the bot), the messages with the agents' internal notes among them in time order (amber
 * cards; their author and admins may delete them), who is typing, the composer, and the visitor's details beside
 * it (a drawer on narrower screens), where admins may delete the conversation. It only shows what
 * it is given and reports what the agent does.
 *
 * @event parley-chat-action - claim, resolve or return-to-bot (`detail.action`)
 * @event parley-chat-delete - an admin confirmed deleting the conversation (`detail.conversationId`)
 * @event parley-navigate - back to the list (phones)
 * @event parley-reply - bubbled from the composer
 * @event parley-note - bubbled from the composer in Note mode
 * @event parley-note-delete - bubbled from a note card (`detail.noteId`), already confirmed
 * @event parley-typing - bubbled from the composer
 * @event parley-retry - bubbled from a failed reply
 * @csspart header - the bar on top; `actions` its buttons; `back` the phone back button
 * @csspart messages - the scrolling message list
 * @csspart handoff - the waiting banner: why the visitor was handed over, and the context given
 * @csspart typing - "Visitor is typing…"
 * @csspart details - the visitor details panel; `close-details` its close button (drawer only)
 * @csspart transcript - "Download transcript", in the details (everyone)
 * @csspart delete - "Delete conversation", at the end of the details (admins only)
 */
export class ParleyConversationView extends LitElement {
  static override styles = [controls, styles];
  static override properties = {
    chat: { attribute: false },
    messages: { attribute: false },
    notes: { attribute: false },
    pending: { attribute: false },
    typing: { attribute: false },
    variables: { attribute: false },
    pageAttributes: { attribute: false },
    rating: { attribute: false },
    savedReplies: { attribute: false },
    me: {},
    admin: { type: Boolean },
    missing: { type: Boolean },
    deleted: { type: Boolean },
    busy: { type: Boolean },
    showDetails: { type: Boolean, attribute: 'show-details' },
  };

  declare chat: ChatSummary | undefined;
  declare messages: ChatMessage[];
  /** The conversation's internal notes, oldest first. */
  declare notes: readonly NoteView[];
  declare pending: PendingReply[];
  declare typing: TypingState | undefined;
  declare variables: Record<string, unknown> | undefined;
  /** Page attributes the site set (`Parley.setAttributes`). */
  declare pageAttributes: Record<string, unknown> | undefined;
  /** The visitor's rating (CSAT), null when not rated. */
  declare rating: RatingView | null | undefined;
  /** The saved replies the composer offers after `/`. */
  declare savedReplies: SavedRepliesStore | undefined;
  /** The signed-in user's id. */
  declare me: string;
  /** The signed-in user is an admin or the owner: they may take over a colleague's chat, and delete one. */
  declare admin: boolean;
  /** The server does not know the conversation (a wrong or foreign link). */
  declare missing: boolean;
  /** The conversation was deleted while it was open here. */
  declare deleted: boolean;
  /** An action is running: its buttons are disabled. */
  declare busy: boolean;
  declare showDetails: boolean;
  private stickToBottom = true;

  constructor() {
    super();
    this.messages = [];
    this.notes = [];
    this.pending = [];
    this.me = '';
    this.admin = false;
    this.missing = false;
    this.deleted = false;
    this.busy = false;
    this.showDetails = typeof matchMedia === 'function' ? matchMedia('(min-width: 1101px)').matches : true;
  }

  private resizeObserver: ResizeObserver | undefined;
  private observed: Element | undefined;
  private autoTop = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('chat') && changed.get('chat')?.id !== this.chat?.id) this.stickToBottom = true;
  }

  protected override updated(): void {
    const stack = this.renderRoot.querySelector('.stack');
    if (stack && stack !== this.observed && typeof ResizeObserver === 'function') {
      // Bubbles render after this element (and images load later): follow the content's growth.
      this.resizeObserver ??= new ResizeObserver(() => this.followBottom());
      if (this.observed) this.resizeObserver.unobserve(this.observed);
      this.resizeObserver.observe(stack);
      this.observed = stack;
    }
    this.followBottom();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.resizeObserver = undefined;
    this.observed = undefined;
  }

  private followBottom(): void {
    const list = this.renderRoot.querySelector('[part="messages"]');
    if (!list || !this.stickToBottom) return;
    list.scrollTop = list.scrollHeight;
    this.autoTop = list.scrollTop;
  }

  /** Only the agent scrolling up stops following new messages (content growing never does). */
  private onScroll(event: Event): void {
    const list = event.target as HTMLElement;
    if (list.scrollHeight - list.scrollTop - list.clientHeight < 80) this.stickToBottom = true;
    else if (list.scrollTop < this.autoTop - 4) this.stickToBottom = false;
  }

  /** Puts the cursor in the reply box; with a mode, switches the composer to it first (`n` writes a note). */
  focusComposer(mode?: ComposerMode): void {
    const composer = this.renderRoot.querySelector('parley-composer');
    if (mode) void composer?.write(mode);
    else composer?.focus();
  }

  /** Puts a note that could not be added back in the composer. */
  restoreNote(text: string): void {
    this.renderRoot.querySelector('parley-composer')?.restoreNote(text);
  }

  private act(action: 'claim' | 'resolve' | 'return-to-bot'): void {
    this.dispatchEvent(new ParleyChatActionEvent({ action }));
  }

  /** Asks first, as every destructive action of the dashboard does. */
  private confirmDelete(chat: ChatSummary): void {
    if (confirm(DELETE_QUESTION)) this.dispatchEvent(new ParleyChatDeleteEvent({ conversationId: chat.id }));
  }

  private actions(chat: ChatSummary): TemplateResult {
    const mine = chat.assignee?.id === this.me;
    const canClaim = chat.status !== 'agent' || (!mine && (this.admin || !chat.assignee));
    return html`<div part="actions">
      ${canClaim ? html`<button class="primary" data-action="claim" ?disabled=${this.busy} @click=${() => this.act('claim')}>${chat.status === 'agent' ? 'Take over' : 'Claim'}</button>` : nothing}
      ${(chat.status === 'agent' && (mine || this.admin)) || chat.status === 'waiting'
        ? html`<button data-action="return-to-bot" ?disabled=${this.busy} @click=${() => this.act('return-to-bot')}>Back to bot</button>`
        : nothing}
      ${chat.status === 'agent' && (mine || this.admin) ? html`<button data-action="resolve" ?disabled=${this.busy} @click=${() => this.act('resolve')}>Resolve</button>` : nothing}
      <button data-action="details" aria-pressed=${this.showDetails ? 'true' : 'false'} @click=${() => (this.showDetails = !this.showDetails)}>Details</button>
    </div>`;
  }

  private typingLine(): string {
    const t = this.typing;
    if (!t) return '';
    const who = [...(t.visitor ? ['Visitor'] : []), ...t.agents];
    if (!who.length) return '';
    return `${who.join(' and ')} ${who.length > 1 ? 'are' : 'is'} typing`;
  }

  private noteCard(note: NoteView): TemplateResult {
    const deletable = this.admin || (!!note.author.id && note.author.id === this.me);
    return html`<parley-note-card .note=${note} ?deletable=${deletable} data-note-id=${note.id}></parley-note-card>`;
  }

  /** Messages and notes in time order (a note and a message of the same instant: the message first), then pending replies. */
  private list(): TemplateResult[] {
    const out: TemplateResult[] = [];
    let previous = '';
    let n = 0;
    const notesUntil = (time: number) => {
      for (; n < this.notes.length && Date.parse(this.notes[n]!.created_at) < time; n++) {
        out.push(this.noteCard(this.notes[n]!));
        previous = 'note';
      }
    };
    for (const m of this.messages) {
      notesUntil(Date.parse(m.created_at));
      const key = `${m.role}:${m.author?.name ?? ''}`;
      out.push(html`<parley-message-bubble .message=${m} .showAuthor=${key !== previous} data-seq=${m.seq}></parley-message-bubble>`);
      previous = key;
    }
    notesUntil(Infinity);
    for (const p of this.pending) {
      // Agents type plain text: shown escaped, as the server will store it.
      const message: ChatMessage = { seq: 0, id: p.clientId, role: 'agent', components: [{ type: 'text', payload: { text: escapeHtml(p.text) } }], created_at: new Date().toISOString() };
      out.push(html`<parley-message-bubble .message=${message} .showAuthor=${false} state=${p.state} client-id=${p.clientId} error=${p.error ?? ''}></parley-message-bubble>`);
    }
    return out;
  }

  override render(): TemplateResult {
    const chat = this.chat;
    if (!chat) {
      const notice = this.deleted ? 'This conversation was deleted.' : this.missing ? 'This conversation does not exist, or it is not yours to see.' : 'Loading…';
      return html`<div part="main">
        <div part="messages" class="muted" role="status">
          ${notice}
          ${this.deleted ? html`<p><button @click=${() => this.dispatchEvent(new ParleyNavigateEvent({ screen: 'inbox' }))}>Back to the inbox</button></p>` : nothing}
        </div>
      </div>`;
    }
    const typing = this.typingLine();
    const othersChat = chat.status === 'agent' && !!chat.assignee && chat.assignee.id !== this.me;
    const locked = othersChat && !this.admin;
    const placeholder = locked
      ? `${chat.assignee!.name} is answering this chat`
      : chat.status === 'agent' && !othersChat
        ? 'Write a reply…'
        : othersChat
          ? `Reply (takes over from ${chat.assignee!.name})…`
          : 'Reply (sending claims the chat)…';
    return html`
      <div part="main">
        <div part="header">
          <button part="back" aria-label="Back to the inbox" @click=${() => this.dispatchEvent(new ParleyNavigateEvent({ screen: 'inbox' }))}>${icons.back}</button>
          <div class="who">
            <strong>${visitorName(chat)}</strong>
            <span class=${chat.status} data-status=${chat.status}>
              ${chat.visitor.online ? 'Online · ' : ''}${chat.status === 'agent' && chat.assignee ? `With ${chat.assignee.id === this.me ? 'you' : chat.assignee.name}` : statusLabel[chat.status]}${chat.queue_position ? ` · #${chat.queue_position} in queue` : ''}
            </span>
          </div>
          ${this.actions(chat)}
        </div>
        ${chat.status === 'waiting'
          ? html`<div class="banner" part="handoff">
              ${REASONS[chat.handoff?.reason ?? 'visitor']}${chat.handoff ? ` ${ago(chat.handoff.requested_at)}` : ''}. Claim the conversation to answer.
              ${chat.handoff?.context ? html`<div class="context">“${chat.handoff.context}”</div>` : nothing}
            </div>`
          : nothing}
        <div part="messages" role="log" aria-live="polite" @scroll=${this.onScroll}><div class="stack">${this.list()}</div></div>
        <div part="typing" aria-live="polite">${typing ? html`<span class="pulse" aria-hidden="true"><i></i><i></i><i></i></span> ${typing}…` : nothing}</div>
        <parley-composer conversation-id=${chat.id} .savedReplies=${this.savedReplies} placeholder=${placeholder} ?disabled=${chat.status === 'closed' || locked}></parley-composer>
      </div>
      <aside part="details" ?hidden=${!this.showDetails} aria-label="Visitor details">
        <button part="close-details" aria-label="Close the details" @click=${() => (this.showDetails = false)}>×</button>
        <parley-visitor-details .chat=${chat} .variables=${this.variables} .pageAttributes=${this.pageAttributes} .rating=${this.rating}></parley-visitor-details>
        <div part="transcript">
          <button data-action="transcript" @click=${() => this.dispatchEvent(new ParleyTranscriptDownloadEvent({ conversationId: chat.id }))}>
            Download transcript
          </button>
        </div>
        ${this.admin
          ? html`<div part="delete">
              <button class="danger" data-action="delete" ?disabled=${this.busy} @click=${() => this.confirmDelete(chat)}>Delete conversation</button>
            </div>`
          : nothing}
      </aside>
    `;
  }
}
