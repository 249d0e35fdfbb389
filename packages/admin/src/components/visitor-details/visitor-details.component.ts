import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { ChatSummary, RatingView } from '@parley/protocol';
import { controls } from '../../styles/shared.js';
import { ago, dateTime, describeUserAgent, identityOf, statusLabel } from '../../lib/format.js';
import { styles } from './visitor-details.styles.js';

/** A collected value for people: links stay links, objects read as `key: value` pairs. */
export function showValue(value: unknown): TemplateResult | string {
  if (typeof value === 'string' && /^(https?:\/\/|\/uploads\/)/.test(value)) {
    return html`<a href=${value} target="_blank" rel="noopener noreferrer">${value.startsWith('/uploads/') ? 'uploaded file' : value}</a>`;
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(', ');
  }
  return Array.isArray(value) ? value.map(String).join(', ') : String(value);
}

/**
 * What the agent knows of the visitor: online or when last seen, IP, browser and system, the
 * conversation's state, the lead data they left and what the bot collected.
 *
 * @csspart visitor - the visitor section
 * @csspart presence - online / offline indicator
 * @csspart identity - who the host site says the visitor is; `verified` its check
 * @csspart lead - the lead data section
 * @csspart variables - what the bot collected
 * @csspart attributes - what the site said of the visitor's context (`Parley.setAttributes`)
 * @cssprop --parley-ok - the online dot colour
 */
export class ParleyVisitorDetails extends LitElement {
  static override styles = [controls, styles];
  static override properties = { chat: { attribute: false }, variables: { attribute: false }, pageAttributes: { attribute: false }, rating: { attribute: false } };

  declare chat: ChatSummary | undefined;
  /** The flow's variables (what the bot collected), from `GET /api/chats/:id`. */
  declare variables: Record<string, unknown> | undefined;
  /** Page attributes from the site (`Parley.setAttributes`), from `GET /api/chats/:id`. */
  declare pageAttributes: Record<string, unknown> | undefined;
  /** The visitor's rating of the conversation (CSAT), null when not rated. */
  declare rating: RatingView | null | undefined;

  private pairs(data: Record<string, unknown> | null | undefined, part: string, empty: string): TemplateResult {
    const entries = Object.entries(data ?? {}).filter(([key]) => !key.startsWith('_'));
    if (!entries.length) return html`<p class="empty" part=${part}>${empty}</p>`;
    return html`<dl part=${part}>
      ${entries.map(([key, value]) => html`<dt>${key.replace(/_/g, ' ')}</dt><dd>${showValue(value)}</dd>`)}
    </dl>`;
  }

  /** Who the site says the visitor is; unverified claims are marked, never trusted silently. */
  private identity(chat: ChatSummary): TemplateResult | typeof nothing {
    const identity = identityOf(chat);
    if (!identity) return nothing;
    return html`<section>
      <h2>Signed in on your site</h2>
      <dl part="identity">
        <dt>Check</dt>
        <dd><span part="verified" class=${identity.verified ? 'verified' : 'unverified'}>${identity.verified ? 'Verified' : 'Not verified: the site did not prove it'}</span></dd>
        <dt>User ID</dt>
        <dd><code>${identity.user_id}</code></dd>
        ${identity.name ? html`<dt>Name</dt><dd>${identity.name}</dd>` : nothing}
        ${identity.email ? html`<dt>Email</dt><dd>${identity.email}</dd>` : nothing}
      </dl>
    </section>`;
  }

  override render(): TemplateResult | typeof nothing {
    const chat = this.chat;
    if (!chat) return nothing;
    const v = chat.visitor;
    return html`
      <section>
        <h2>Visitor</h2>
        <dl part="visitor">
          <dt>Status</dt>
          <dd>
            <span part="presence" class=${v.online ? 'online' : ''}>${v.online ? 'Online' : `Offline${v.last_seen_at ? ` · seen ${ago(v.last_seen_at)}` : ''}`}</span>
          </dd>
          <dt>Last seen</dt>
          <dd>${dateTime(v.last_seen_at)}</dd>
          <dt>IP</dt>
          <dd>${v.ip ?? '—'}</dd>
          <dt>Browser</dt>
          <dd title=${v.user_agent ?? ''}>${describeUserAgent(v.user_agent)}</dd>
        </dl>
      </section>
      ${this.identity(chat)}
      <section>
        <h2>Conversation</h2>
        <dl>
          <dt>State</dt>
          <dd>${statusLabel[chat.status]}${chat.queue_position ? ` · #${chat.queue_position} in queue` : ''}</dd>
          <dt>Agent</dt>
          <dd>${chat.assignee?.name ?? '—'}</dd>
          <dt>Started</dt>
          <dd>${dateTime(chat.created_at)}</dd>
          ${chat.handoff
            ? html`<dt>Hand-off</dt>
                <dd>${chat.handoff.reason} · ${dateTime(chat.handoff.requested_at)}</dd>
                ${chat.handoff.context ? html`<dt>Context</dt><dd>${chat.handoff.context}</dd>` : nothing}`
            : nothing}
          ${this.rating
            ? html`<dt>Rating</dt>
                <dd part="rating">${this.rating.scale === 'thumbs' ? (this.rating.score >= 3 ? '👍 Good' : '👎 Bad') : `${'★'.repeat(this.rating.score)}${'☆'.repeat(5 - this.rating.score)} ${this.rating.score}/5`}</dd>
                ${this.rating.comment ? html`<dt>Comment</dt><dd part="rating-comment">${this.rating.comment}</dd>` : nothing}`
            : nothing}
          <dt>ID</dt>
          <dd><code>${chat.id}</code></dd>
        </dl>
      </section>
      <section>
        <h2>Lead</h2>
        ${this.pairs(chat.lead, 'lead', 'No lead data yet.')}
      </section>
      <section>
        <h2>Collected by the bot</h2>
        ${this.pairs(this.variables, 'variables', 'Nothing collected.')}
      </section>
      <section>
        <h2>From the site</h2>
        ${this.pairs(this.pageAttributes, 'attributes', 'No page attributes.')}
      </section>
    `;
  }
}
