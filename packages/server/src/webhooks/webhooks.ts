import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type {
  WebhookAttemptView,
  WebhookDeliveryStatus,
  WebhookDeliveryView,
  WebhookEventType,
  WebhookPayload,
} from '@parley/protocol';
import type { WebhooksConfig } from '../config.js';
import type { Database } from '../db/database.js';
import type { WriteQueue } from '../db/write-queue.js';
import type { DatabaseHandle } from '../db/handle.js';
import type { Work } from '../db/step.js';
import type { WebhookAttemptRow } from '../db/tables/index.js';
import { Errors } from '../errors.js';
import type { Sealer } from '../lib/sealed.js';
import type { Outbox, OutboxEvent } from '../core/outbox.js';
import type { InboxRepository } from '../inbox/inbox.js';
import type { Leader, LeaderJob } from '../core/leader.js';
import { WebhookQueue, type DeliveryRow } from './webhook-queue.js';
import { signingSecrets, WebhookEndpoints } from './webhook-endpoints.js';

/** An event ready to be stored and queued for the endpoints that want it. */
interface BuiltEvent {
  payload: WebhookPayload;
  /** Only this endpoint (a test event); otherwise every enabled subscriber of the company. */
  endpointId?: string;
}

const EVENT_OF: Record<OutboxEvent['type'], WebhookEventType> = {
  message: 'message.created',
  lead: 'lead.created',
  handoff: 'conversation.handoff',
  resolved: 'conversation.resolved',
  rated: 'conversation.rated',
};

function toDeliveryView(row: Omit<DeliveryRow, 'payload'>): WebhookDeliveryView {
  return {
    id: String(row.id),
    endpoint_id: row.endpoint_id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? row.next_attempt_at : null,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    last_duration_ms: row.last_duration_ms,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function toAttemptView(row: WebhookAttemptRow): WebhookAttemptView {
  return {
    attempt: row.attempt,
    status_code: row.status_code,
    error: row.error,
    response_body: row.response_body,
    duration_ms: row.duration_ms,
    created_at: row.created_at,
  };
}

/**
 * Webhooks: a company's endpoints (`WebhookEndpoints`), and the delivery of its events to them.
 *
 * Events are written to a queue in SQLite (one row per event and endpoint) in the same transaction
 * as what they describe (through the `Outbox`), so a crash can lose neither without the other, and
 * sent in the background, never on a chat's path. Each endpoint gets its events in order, one at a
 * time: the next waits until the previous one succeeded or was given up. Failures are retried with exponential backoff; every attempt is
 * logged. After a restart, whatever was pending is sent. At most `concurrency` requests are in
 * flight, each bounded by `timeoutMs`. An endpoint that gives up `disableAfterFailures` deliveries
 * in a row is disabled (its pending deliveries kept) until an admin enables it again.
 */
export class WebhookService {
  /** The endpoints and their admin API (list, get, create, update, remove). */
  readonly endpoints: WebhookEndpoints;
  private readonly queue: WebhookQueue;
  private pruning: LeaderJob | undefined;

  private readonly db: Kysely<Database>;

  constructor(
    database: DatabaseHandle,
    private readonly writes: WriteQueue,
    outbox: Outbox,
    private readonly inbox: InboxRepository,
    sealer: Sealer,
    private readonly config: WebhooksConfig,
    private readonly log: FastifyBaseLogger,
  ) {
    this.db = database.db;
    this.endpoints = new WebhookEndpoints(database, sealer, config, log, () => this.queue.kick());
    this.queue = new WebhookQueue(
      database,
      writes,
      config,
      log,
      (id) => {
        const endpoint = this.endpoints.byId(id);
        return endpoint?.enabled ? { id, url: endpoint.url, secrets: signingSecrets(endpoint) } : undefined;
      },
      (id, failures, at) => this.endpoints.disabledForFailing(id, failures, at),
      (leased) => this.endpoints.targetOf(leased),
    );
    outbox.listen(
      (event) => this.record(event),
      (companyId, type) => this.endpoints.wanted(companyId, EVENT_OF[type]),
    );
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  /**
   * Loads the endpoints (events are recorded for them from now on) and resumes pending deliveries.
   * The log is pruned now and every 6 hours while this node leads (`leader`: always on SQLite, one
   * node at a time on PostgreSQL); `start` waits for that first pruning.
   */
  async start(leader: Leader): Promise<void> {
    await this.endpoints.load();
    this.queue.kick();
    this.pruning = leader.every(6 * 3600_000, () => this.prune(), (error) => this.log.warn({ err: error }, 'webhook log pruning failed'));
    await this.pruning.idle();
  }

  /** Reads the endpoints again (another node changed them). */
  reloadEndpoints(): Promise<void> {
    return this.endpoints.load();
  }

  /**
   * Forgets finished deliveries (and their attempts) older than `retentionDays`, events no
   * delivery refers to any more, and previous signing secrets whose grace period is over.
   * Pending deliveries are never removed.
   */
  async prune(now = Date.now()): Promise<void> {
    const expired = new Date(now).toISOString();
    await this.db
      .updateTable('webhook_endpoints')
      .set({ previous_secret_sealed: null, previous_secret_expires_at: null })
      .where('previous_secret_expires_at', '<=', expired)
      .execute();
    this.endpoints.forgetExpiredSecrets(expired);
    const before = new Date(now - this.config.retentionDays * 86_400_000).toISOString();
    await this.db.deleteFrom('webhook_deliveries').where('status', '!=', 'pending').where('updated_at', '<', before).execute();
    await this.db
      .deleteFrom('webhook_events')
      .where('created_at', '<', before)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('webhook_deliveries as d').select('d.id').whereRef('d.event_id', '=', 'webhook_events.id'))))
      .execute();
  }

  /** Stops sending: requests in flight are abandoned and stay pending (they are sent again on the next start). */
  async stop(): Promise<void> {
    await this.pruning?.stop();
    // Events keep being recorded until the database closes: what is pending is sent at the next start.
    await this.queue.stop();
  }

  // ---- endpoints (admin API) -------------------------------------------------------------------

  // ---- deliveries (admin API) ------------------------------------------------------------------

  /** An endpoint's deliveries, newest first. */
  async deliveries(companyId: string, endpointId: string, query: { status?: WebhookDeliveryStatus | undefined; limit?: number | undefined; before?: string | undefined }) {
    this.endpoints.owned(companyId, endpointId);
    let q = this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as ev', 'ev.id', 'd.event_id')
      .selectAll('d')
      .select('ev.type as event_type')
      .where('d.endpoint_id', '=', endpointId)
      .where('d.company_id', '=', companyId);
    if (query.status) q = q.where('d.status', '=', query.status);
    if (query.before) q = q.where('d.id', '<', Number(query.before));
    const rows = await q.orderBy('d.id', 'desc').limit(query.limit ?? 50).execute();
    return rows.map(toDeliveryView);
  }

  /** One delivery with every attempt and the exact body sent. */
  async delivery(companyId: string, endpointId: string, deliveryId: string) {
    const row = await this.ownedDelivery(companyId, endpointId, deliveryId);
    const attempts = await this.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('delivery_id', '=', row.id)
      .where('company_id', '=', companyId)
      .orderBy('attempt')
      .execute();
    return { delivery: toDeliveryView(row), attempts: attempts.map(toAttemptView), payload: JSON.parse(row.payload) as WebhookPayload };
  }

  /** Queues the event of a delivery again for its endpoint (same event id), behind what is pending. */
  async redeliver(companyId: string, endpointId: string, deliveryId: string): Promise<WebhookDeliveryView> {
    const row = await this.ownedDelivery(companyId, endpointId, deliveryId);
    const id = await this.writes.run(() => this.queue.queueDelivery(endpointId, row.event_id, companyId));
    this.queue.kick();
    return this.deliveryView(id);
  }

  /**
   * Sends a `webhook.test` event to one endpoint (queued like any event, so after what is pending)
   * and waits up to `waitMs` for its first attempt, to show the outcome at once.
   */
  async sendTest(companyId: string, endpointId: string, waitMs = this.config.timeoutMs + 2000): Promise<WebhookDeliveryView> {
    const endpoint = this.endpoints.owned(companyId, endpointId);
    const payload = this.payload(companyId, 'webhook.test', {
      message: 'A test event from Parley: your endpoint is reachable.',
      endpoint: { id: endpoint.id, url: endpoint.url },
    });
    const [id] = await this.writes.run(() => this.store({ payload, endpointId }));
    this.queue.kick();
    if (id !== undefined) await this.queue.settled(id, waitMs);
    return this.deliveryView(id!);
  }

  // ---- from the outbox to the queue ------------------------------------------------------------

  /**
   * Inside the write that stores what the event describes (see `Outbox`): stores the event and a
   * delivery for every endpoint that wants it, so both commit together.
   */
  private *record(event: OutboxEvent): Work<void> {
    const payload = yield* this.build(event);
    if (!payload || !(yield* this.store({ payload })).length) return;
    // Once this transaction has committed (on PostgreSQL that is a later turn of the event loop).
    this.writes.afterCommit(() => this.queue.kick());
  }

  /** The body of an event as a webhook payload; conversation summaries are read in the same transaction. */
  private *build(event: OutboxEvent): Work<WebhookPayload | undefined> {
    switch (event.type) {
      case 'message':
        return this.payload(event.companyId, 'message.created', { conversation_id: event.conversationId, message: event.message });
      case 'lead':
        return this.payload(event.companyId, 'lead.created', {
          lead: { id: event.leadId, conversation_id: event.conversationId, source: event.source, data: event.data, created_at: event.createdAt },
        });
      case 'handoff': {
        const conversation = yield* this.inbox.summary(event.companyId, event.conversationId);
        return conversation && this.payload(event.companyId, 'conversation.handoff', { conversation, reason: event.reason });
      }
      case 'resolved': {
        const conversation = yield* this.inbox.summary(event.companyId, event.conversationId);
        return conversation && this.payload(event.companyId, 'conversation.resolved', { conversation, resolved_by: event.by });
      }
      case 'rated': {
        const conversation = yield* this.inbox.summary(event.companyId, event.conversationId);
        const rating = { scale: event.scale, score: event.score, comment: event.comment, created_at: event.createdAt };
        return conversation && this.payload(event.companyId, 'conversation.rated', { conversation, rating });
      }
    }
  }

  private payload(companyId: string, type: WebhookPayload['type'], data: Record<string, unknown>): WebhookPayload {
    return { id: `evt_${randomUUID().replaceAll('-', '')}`, type, created_at: new Date().toISOString(), company_id: companyId, data };
  }

  /** Inside a write: stores the event for every endpoint that wants it (or the one named). Returns the delivery ids. */
  private store(event: BuiltEvent): Work<number[]> {
    const { payload } = event;
    const named = event.endpointId ? this.endpoints.byId(event.endpointId) : undefined;
    const targets = event.endpointId ? (named ? [named] : []) : this.endpoints.subscribers(payload.company_id, payload.type as WebhookEventType);
    return this.queue.store(payload, targets.map((e) => e.id));
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private async ownedDelivery(companyId: string, endpointId: string, deliveryId: string) {
    this.endpoints.owned(companyId, endpointId);
    const row = /^[0-9]{1,15}$/.test(deliveryId) ? await this.queue.delivery(Number(deliveryId)) : undefined;
    if (!row || row.company_id !== companyId || row.endpoint_id !== endpointId) throw Errors.notFound('Delivery not found');
    return row;
  }

  private async deliveryView(id: number): Promise<WebhookDeliveryView> {
    const row = await this.queue.delivery(id);
    if (!row) throw Errors.notFound('Delivery not found');
    return toDeliveryView(row);
  }

}

declare module 'fastify' {
  interface FastifyInstance {
    /** Webhook endpoints and the background delivery of events to them. */
    webhooks: WebhookService;
  }
}

export default fp(
  async (app) => {
    const webhooks = new WebhookService(
      app.database,
      app.writes,
      app.outbox,
      app.inbox,
      app.secrets.sealer('webhook-secret'),
      app.config.webhooks,
      app.log.child({ module: 'webhooks' }),
    );
    app.decorate('webhooks', webhooks);
    // Sending starts once the server is ready; it stops before the database closes.
    app.addHook('onReady', async () => webhooks.start(app.leader));
    // Another node (or the CLI) made, changed or removed an endpoint: read them again.
    app.externalChanges.onChange(() => webhooks.reloadEndpoints());
    app.addHook('onClose', async () => webhooks.stop());
  },
  { name: 'webhooks', dependencies: ['database', 'secrets', 'outbox', 'inbox', 'leader'] },
);
