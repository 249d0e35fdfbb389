import { LitElement, html, type PropertyValues, type TemplateResult } from 'lit';
import type { ChatMessage, LeadDetail } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { TaskController } from '../../controllers/task-controller.js';
import { ParleyNavigateEvent } from '../../events/navigate.js';
import { dateTime, statusLabel, visitorName } from '../../lib/format.js';
import { controls } from '../../styles/shared.js';
import '../message-bubble/message-bubble.js';
import { styles } from './lead-detail.styles.js';

/** A lead with the messages of its conversation (none for a lead a site posted). */
interface Loaded {
  detail: LeadDetail;
  messages: ChatMessage[];
}

const SOURCE: Record<string, string> = { flow: 'Bot flow', form: 'Form in the chat', api: 'Posted by the site' };

/**
 * One lead: every field it holds, where it came from, and the conversation it came from (its
 * visitor, its status and its whole transcript), with a link to open that conversation.
 *
 * @event parley-navigate - open the lead's conversation in the inbox
 * @csspart fields - the lead's values
 * @csspart conversation - the conversation it came from
 * @csspart transcript - that conversation's messages
 */
export class ParleyLeadDetail extends LitElement {
  static override styles = [controls, styles];
  static override properties = { api: { attribute: false }, leadId: { attribute: 'lead-id' } };

  declare api: ApiClient | undefined;
  /** The lead to show. */
  declare leadId: string;
  private readonly task = new TaskController<Loaded>(this, async () => {
    const detail = await this.api!.lead(this.leadId);
    const conversation = detail.conversation;
    const messages = conversation ? (await this.api!.messages(conversation.id, 0, 500)).messages.map((m) => m.message) : [];
    return { detail, messages };
  });

  constructor() {
    super();
    this.leadId = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('leadId') && this.leadId && this.api) void this.task.reload();
  }

  private open(event: MouseEvent, id: string): void {
    if (event.metaKey || event.ctrlKey || event.button !== 0) return;
    event.preventDefault();
    this.dispatchEvent(new ParleyNavigateEvent({ screen: 'inbox', conversationId: id }));
  }

  override render(): TemplateResult {
    if (this.task.error) return html`<div class="error" role="alert">${this.task.error}</div>`;
    const loaded = this.task.value;
    if (!loaded || loaded.detail.lead.id !== this.leadId) return html`<p class="muted">Loading…</p>`;
    const { lead, conversation } = loaded.detail;
    return html`
      <dl part="fields">
        ${Object.entries(lead.data).map(([key, value]) => html`<dt>${key.replace(/_/g, ' ')}</dt><dd>${String(value)}</dd>`)}
        <dt>Received</dt>
        <dd>${dateTime(lead.created_at)}</dd>
        <dt>Source</dt>
        <dd>${SOURCE[lead.source] ?? lead.source}</dd>
      </dl>
      ${conversation
        ? html`<section part="conversation">
            <div class="row">
              <h3>Conversation with ${visitorName(conversation)}</h3>
              <span class="muted">${statusLabel[conversation.status]}</span>
              <a href=${`/admin/inbox/${encodeURIComponent(conversation.id)}`} @click=${(e: MouseEvent) => this.open(e, conversation.id)}>Open in the inbox</a>
            </div>
            <div part="transcript">
              ${loaded.messages.map((m) => html`<parley-message-bubble .message=${m}></parley-message-bubble>`)}
            </div>
          </section>`
        : lead.conversation_id
          ? html`<p class="muted">Its conversation no longer exists.</p>`
          : html`<p class="muted">This lead was posted by the site, not collected in a conversation.</p>`}
    `;
  }
}
