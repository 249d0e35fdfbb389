import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import type { WebhookDeliveryDetail, WebhookDeliveryView } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { TaskController } from '../../controllers/task-controller.js';
import { dateTime } from '../../lib/format.js';
import { controls } from '../../styles/shared.js';
import { styles } from './webhook-log.styles.js';

/**
 * The delivery log of one webhook endpoint, newest first: each event's status, attempts, last
 * answer and duration. Opening a delivery shows every attempt and the exact body sent; any
 * delivery can be sent again (same event id, so receivers can drop repeats).
 *
 * @csspart table - the deliveries
 * @csspart attempts - the attempts of the open delivery
 * @csspart payload - the body that was sent
 */
export class ParleyWebhookLog extends LitElement {
  static override styles = [controls, styles];
  static override properties = {
    api: { attribute: false },
    endpointId: { attribute: 'endpoint-id' },
    open: { state: true },
    failure: { state: true },
  };

  declare api: ApiClient | undefined;
  declare endpointId: string;
  /** The open delivery, with its attempts and body. */
  declare private open: WebhookDeliveryDetail | undefined;
  declare private failure: string;
  private readonly task = new TaskController<WebhookDeliveryView[]>(this, async () => (await this.api!.webhookDeliveries(this.endpointId, { limit: 100 })).deliveries);

  constructor() {
    super();
    this.endpointId = '';
    this.failure = '';
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('endpointId') && this.endpointId && this.api) void this.task.reload();
  }

  /** Loads the log again (after a test event or a redelivery). */
  refresh(): Promise<unknown> {
    return this.task.reload();
  }

  private async show(delivery: WebhookDeliveryView): Promise<void> {
    this.failure = '';
    try {
      this.open = this.open?.delivery.id === delivery.id ? undefined : await this.api!.webhookDelivery(this.endpointId, delivery.id);
    } catch (error) {
      this.failure = errorMessage(error);
    }
  }

  private async redeliver(delivery: WebhookDeliveryView): Promise<void> {
    this.failure = '';
    try {
      await this.api!.redeliver(this.endpointId, delivery.id);
      await this.task.reload();
    } catch (error) {
      this.failure = errorMessage(error);
    }
  }

  private renderOpen(detail: WebhookDeliveryDetail): TemplateResult {
    return html`<tr class="open">
      <td colspan="6">
        <ol part="attempts">
          ${detail.attempts.map(
            (a) => html`<li>
              ${dateTime(a.created_at)}: ${a.status_code ?? 'no answer'} ${a.error ? html`<span class="bad">${a.error}</span>` : nothing}
              <span class="muted">${a.duration_ms} ms</span>
              ${a.response_body ? html`<pre>${a.response_body}</pre>` : nothing}
            </li>`,
          )}
        </ol>
        ${detail.attempts.length ? nothing : html`<p class="muted">No attempt yet.</p>`}
        <pre part="payload">${JSON.stringify(detail.payload, null, 2)}</pre>
      </td>
    </tr>`;
  }

  override render(): TemplateResult {
    const deliveries = this.task.value;
    return html`
      <div class="row">
        <h3>Deliveries</h3>
        <button data-action="refresh" @click=${() => this.task.reload()}>Refresh</button>
      </div>
      ${this.failure || this.task.error ? html`<div class="error" role="alert">${this.failure || this.task.error}</div>` : nothing}
      ${deliveries && !deliveries.length ? html`<p class="muted">No deliveries yet.</p>` : nothing}
      ${deliveries?.length
        ? html`<div class="wrap">
            <table part="table">
              <thead>
                <tr><th>When</th><th>Event</th><th>Status</th><th>Attempts</th><th>Last answer</th><th></th></tr>
              </thead>
              <tbody>
                ${deliveries.map(
                  (d) => html`<tr data-delivery=${d.id} class=${d.status}>
                      <td>${dateTime(d.created_at)}</td>
                      <td><code>${d.event_type}</code></td>
                      <td><span class="status">${d.status === 'succeeded' ? 'Delivered' : d.status === 'failed' ? 'Gave up' : d.attempts ? 'Retrying' : 'Waiting'}</span></td>
                      <td>${d.attempts}</td>
                      <td>
                        ${d.last_status_code ?? (d.attempts ? 'no answer' : '—')}${d.last_error ? html` <span class="bad">${d.last_error}</span>` : nothing}
                        ${d.last_duration_ms !== null ? html`<span class="muted"> ${d.last_duration_ms} ms</span>` : nothing}
                      </td>
                      <td class="actions">
                        <button data-action="details" aria-expanded=${this.open?.delivery.id === d.id ? 'true' : 'false'} @click=${() => this.show(d)}>Details</button>
                        <button data-action="redeliver" @click=${() => this.redeliver(d)}>Send again</button>
                      </td>
                    </tr>
                    ${this.open?.delivery.id === d.id ? this.renderOpen(this.open) : nothing}`,
                )}
              </tbody>
            </table>
          </div>`
        : nothing}
    `;
  }
}
