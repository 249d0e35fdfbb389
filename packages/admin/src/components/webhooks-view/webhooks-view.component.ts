import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { WEBHOOK_EVENT_TYPES, type WebhookDeliveryView, type WebhookEndpointView, type WebhookEventType } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { TaskController } from '../../controllers/task-controller.js';
import { ago, dateTime } from '../../lib/format.js';
import { controls, screen, row } from '../../styles/shared.js';
import '../webhook-log/webhook-log.js';
import { styles } from './webhooks-view.styles.js';

/** What each event means, for the checkboxes. */
export const EVENT_LABELS: Record<WebhookEventType, string> = {
  'lead.created': 'A lead was saved',
  'conversation.handoff': 'A visitor was handed to a person',
  'conversation.resolved': 'An agent resolved a conversation',
  'message.created': 'Any message (visitor, bot, agent, notice)',
  'conversation.rated': 'A visitor rated a conversation',
};

/** A delivery's outcome in a few words. */
export function outcome(delivery: Pick<WebhookDeliveryView, 'status' | 'last_status_code' | 'last_error' | 'attempts'>): string {
  if (delivery.status === 'succeeded') return `Delivered (${delivery.last_status_code ?? 'ok'})`;
  const why = delivery.last_error ?? 'not sent yet';
  return delivery.status === 'failed' ? `Gave up after ${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}: ${why}` : delivery.attempts ? `Retrying: ${why}` : 'Waiting to be sent';
}

/** Why Parley disabled an endpoint, and what enabling it does; undefined unless it was disabled for failing. */
export function disabledNotice(endpoint: Pick<WebhookEndpointView, 'disabled_reason' | 'consecutive_failures' | 'pending'>): string | undefined {
  if (endpoint.disabled_reason !== 'failing') return undefined;
  const n = endpoint.consecutive_failures;
  const waiting = endpoint.pending
    ? `Fix the receiver, then enable the endpoint: the ${endpoint.pending} ${endpoint.pending === 1 ? 'delivery' : 'deliveries'} waiting will be sent, in order.`
    : 'Fix the receiver, then enable the endpoint.';
  return `Disabled after ${n} failed ${n === 1 ? 'delivery' : 'deliveries'} in a row. ${waiting}`;
}

/** Until when a rotated secret still signs requests beside the new one, in a sentence. */
export function previousSecretNote(endpoint: Pick<WebhookEndpointView, 'previous_secret_expires_at'>): string {
  return endpoint.previous_secret_expires_at
    ? `The previous secret also signs requests until ${dateTime(endpoint.previous_secret_expires_at)}.`
    : 'The previous secret no longer signs requests.';
}

/**
 * Webhooks (admins): the company's endpoints, each with its events, a signing secret shown once
 * (when made or renewed), a test event, enable/disable and removal, and its delivery log. An
 * endpoint Parley disabled because its deliveries kept failing says so; after a new secret, the
 * previous one's grace period is shown, with a way to end it at once.
 *
 * @csspart header - the title
 * @csspart add - the form that adds an endpoint
 * @csspart secret - a signing secret, shown once
 * @csspart endpoint - one endpoint
 * @csspart disabled-notice - why Parley disabled an endpoint
 * @csspart previous-secret - until when a rotated secret still signs, with "Stop it now"
 */
export class ParleyWebhooksView extends LitElement {
  static override styles = [controls, screen, row, styles];
  static override properties = {
    api: { attribute: false },
    secret: { state: true },
    message: { state: true },
    failure: { state: true },
    logOf: { state: true },
    busy: { state: true },
  };

  declare api: ApiClient | undefined;
  /** A new secret to show once, with its endpoint. */
  declare private secret: { endpoint: string; value: string } | undefined;
  declare private message: string;
  declare private failure: string;
  /** The endpoint whose delivery log is open. */
  declare private logOf: string | undefined;
  declare private busy: boolean;
  private readonly task = new TaskController<WebhookEndpointView[]>(this, async () => (await this.api!.webhooks()).endpoints);

  constructor() {
    super();
    this.message = '';
    this.failure = '';
    this.busy = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.task.reload();
  }

  private async act(work: () => Promise<string | void>): Promise<void> {
    this.message = this.failure = '';
    this.busy = true;
    try {
      this.message = (await work()) ?? '';
      await this.task.reload();
    } catch (error) {
      this.failure = errorMessage(error);
    } finally {
      this.busy = false;
    }
  }

  private add(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const events = data.getAll('events').map(String) as WebhookEventType[];
    if (!events.length) return void (this.failure = 'Pick at least one event.');
    void this.act(async () => {
      const made = await this.api!.createWebhook({ url: String(data.get('url') ?? '').trim(), events, description: String(data.get('description') ?? '').trim() });
      this.secret = { endpoint: made.endpoint.id, value: made.secret! };
      form.reset();
      return 'Endpoint added. Copy its signing secret now: it is not shown again.';
    });
  }

  private test(endpoint: WebhookEndpointView): void {
    void this.act(async () => {
      const { delivery } = await this.api!.testWebhook(endpoint.id);
      if (this.logOf === endpoint.id) void this.renderRoot.querySelector('parley-webhook-log')?.refresh();
      this.logOf = endpoint.id;
      return `Test event: ${outcome(delivery)}.`;
    });
  }

  private rotate(endpoint: WebhookEndpointView): void {
    if (!confirm('Make a new signing secret? The current one keeps signing requests beside it for a grace period (24 hours by default), so your receiver can be updated meanwhile.')) return;
    void this.act(async () => {
      const { endpoint: rotated, secret } = await this.api!.updateWebhook(endpoint.id, { rotate_secret: true });
      this.secret = { endpoint: endpoint.id, value: secret! };
      return `New signing secret made. Copy it now: it is not shown again. ${previousSecretNote(rotated)}`;
    });
  }

  private expirePrevious(endpoint: WebhookEndpointView): void {
    if (!confirm('Stop signing with the previous secret now? A receiver still using it will reject every request.')) return;
    void this.act(async () => {
      await this.api!.updateWebhook(endpoint.id, { expire_previous_secret: true });
      return 'The previous secret no longer signs requests.';
    });
  }

  private removeEndpoint(endpoint: WebhookEndpointView): void {
    if (!confirm(`Remove ${endpoint.url} and its delivery log?`)) return;
    void this.act(async () => {
      await this.api!.deleteWebhook(endpoint.id);
      if (this.logOf === endpoint.id) this.logOf = undefined;
      return 'Endpoint removed.';
    });
  }

  private renderEndpoint(endpoint: WebhookEndpointView): TemplateResult {
    const last = endpoint.last_delivery;
    const notice = disabledNotice(endpoint);
    return html`<article part="endpoint" class="card ${endpoint.enabled ? '' : notice ? 'failing' : 'off'}" data-endpoint=${endpoint.id}>
      <div class="row">
        <code class="url">${endpoint.url}</code>
        ${endpoint.enabled ? nothing : html`<span class="badge">Disabled</span>`}
      </div>
      ${notice ? html`<p part="disabled-notice" class="notice" role="status" data-disabled-notice>${notice}</p>` : nothing}
      ${endpoint.description ? html`<p>${endpoint.description}</p>` : nothing}
      <p class="muted">${endpoint.events.join(', ')}</p>
      <p class="muted" data-status>
        ${last ? html`Last delivery ${last.status === 'succeeded' ? 'succeeded' : 'failed'} ${ago(last.at)}${last.status_code ? ` (${last.status_code})` : ''}.` : 'Nothing sent yet.'}
        ${endpoint.pending ? html` <strong>${endpoint.pending} waiting.</strong>` : nothing}
      </p>
      ${this.secret?.endpoint === endpoint.id
        ? html`<p><strong>Signing secret</strong> (shown once): <code part="secret" data-webhook-secret>${this.secret.value}</code></p>`
        : nothing}
      ${endpoint.previous_secret_expires_at
        ? html`<div part="previous-secret" class="row" data-previous-secret>
            <span class="muted">${previousSecretNote(endpoint)}</span>
            <button data-action="expire-previous" ?disabled=${this.busy} @click=${() => this.expirePrevious(endpoint)}>Stop it now</button>
          </div>`
        : nothing}
      <div class="row">
        <button data-action="test" ?disabled=${this.busy || !endpoint.enabled} @click=${() => this.test(endpoint)}>Send test event</button>
        <button data-action="log" aria-pressed=${this.logOf === endpoint.id ? 'true' : 'false'} @click=${() => (this.logOf = this.logOf === endpoint.id ? undefined : endpoint.id)}>Deliveries</button>
        <button
          class=${notice ? 'primary' : ''}
          data-action="toggle"
          ?disabled=${this.busy}
          @click=${() => this.act(async () => void (await this.api!.updateWebhook(endpoint.id, { enabled: !endpoint.enabled })))}
        >
          ${endpoint.enabled ? 'Disable' : 'Enable'}
        </button>
        <button class="danger" data-action="rotate" ?disabled=${this.busy} @click=${() => this.rotate(endpoint)}>New secret</button>
        <button class="danger" data-action="delete" ?disabled=${this.busy} @click=${() => this.removeEndpoint(endpoint)}>Remove</button>
      </div>
      ${this.logOf === endpoint.id ? html`<parley-webhook-log .api=${this.api} endpoint-id=${endpoint.id}></parley-webhook-log>` : nothing}
    </article>`;
  }

  override render(): TemplateResult {
    const endpoints = this.task.value;
    return html`
      <div part="header"><h1>Webhooks</h1></div>
      <div part="body">
        ${this.failure || this.task.error ? html`<div class="error" role="alert">${this.failure || this.task.error}</div>` : nothing}
        ${this.message ? html`<div class="ok" role="status">${this.message}</div>` : nothing}
        <form part="add" class="card" @submit=${this.add}>
          <h2>Add an endpoint</h2>
          <p class="muted">Parley posts each event as JSON to your URL, signed the Standard Webhooks way (<code>webhook-signature</code>); failed deliveries are retried with growing delays, in order.</p>
          <label>URL <input name="url" type="url" required maxlength="2048" placeholder="https://crm.example.com/parley-webhook" /></label>
          <label>Description <input name="description" maxlength="200" placeholder="CRM sync" /></label>
          <fieldset>
            <legend>Events</legend>
            ${WEBHOOK_EVENT_TYPES.map(
              (type) => html`<label class="check"><input type="checkbox" name="events" value=${type} ?checked=${type === 'lead.created'} /> <code>${type}</code> ${EVENT_LABELS[type]}</label>`,
            )}
          </fieldset>
          <div class="row"><button class="primary" type="submit" ?disabled=${this.busy}>Add endpoint</button></div>
        </form>
        ${endpoints && !endpoints.length ? html`<p class="muted">No endpoints yet.</p>` : nothing}
        ${(endpoints ?? []).map((e) => this.renderEndpoint(e))}
      </div>
    `;
  }
}
