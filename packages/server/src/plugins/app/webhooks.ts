import { randomBytes, randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type SQLite from 'better-sqlite3';
import type {
  WebhookAttemptView,
  WebhookDeliveryView,
  WebhookEndpointView,
  WebhookEventType,
  WebhookPayload,
} from '@parley/protocol';
import type { ParleyConfig, WebhooksConfig } from '../../config.js';
import type { Database } from '../../db/database.js';
import type { GroupCommit } from '../../db/group-commit.js';
import type { WebhookAttemptRow, WebhookEndpointRow } from '../../db/tables/index.js';
import { Errors } from '../../errors.js';
import { privateHostProblem } from '../../lib/net-guard.js';
import { Sealer } from '../../lib/sealed.js';
import { loadOrCreateSecret } from '../../lib/secret.js';
import type { Outbox, OutboxEvent } from './outbox.js';
import type { InboxRepository } from './inbox.js';
import { WebhookQueue, type DeliveryRow } from './webhook-queue.js';

/** An endpoint as the service keeps it in memory. */
interface Endpoint {
  id: string;
  companyId: string;
  url: string;
  description: string;
  events: WebhookEventType[];
  secret: string;
  /** The secret before the last rotation, signing beside `secret` until `previousSecretExpiresAt`; '' when none. */
  previousSecret: string;
  previousSecretExpiresAt: string | null;
  enabled: boolean;
  /** 'failing' when the queue disabled it after too many given-up deliveries in a row. */
  disabledReason: 'failing' | null;
  createdAt: string;
  updatedAt: string;
}

/** An event ready to be stored and queued for the endpoints that want it. */
interface BuiltEvent {
  payload: WebhookPayload;
  /** Only this endpoint (a test event); otherwise every enabled subscriber of the company. */
  endpointId?: string;
}

/** A new endpoint signing secret, such as `whsec_Qm9...`. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

const EVENT_OF: Record<OutboxEvent['type'], WebhookEventType> = {
  message: 'message.created',
  lead: 'lead.created',
  handoff: 'conversation.handoff',
  resolved: 'conversation.resolved',
};

/**
 * The secrets an endpoint's requests are signed with now: its secret, then the one it replaced
 * while that one's grace period lasts. None when its secret cannot be read (never send unsigned).
 */
function signingSecrets(endpoint: Endpoint, now = Date.now()): string[] {
  if (!endpoint.secret) return [];
  const previousValid = endpoint.previousSecret && endpoint.previousSecretExpiresAt && Date.parse(endpoint.previousSecretExpiresAt) > now;
  return previousValid ? [endpoint.secret, endpoint.previousSecret] : [endpoint.secret];
}

function toDeliveryView(row: Omit<DeliveryRow, 'payload'>): WebhookDeliveryView {
  return {
    id: String(row.id),
    endpoint_id: row.endpoint_id,
    event_id: row.event_id,
    event_type: row.event_type,
    status: row.status as WebhookDeliveryView['status'],
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
 * Webhooks: a company's endpoints, and the delivery of its events to them.
 *
 * Events are written to a queue in SQLite (one row per event and endpoint) in the same transaction
 * as what they describe (through the `Outbox`), so a crash can lose neither without the other, and
 * sent in the background, never on a chat's path. Each endpoint gets its events in order, one at a time: the next waits until the previous
 * one succeeded or was given up. Failures are retried with exponential backoff; every attempt is
 * logged. After a restart, whatever was pending is sent. At most `concurrency` requests are in
 * flight, each bounded by `timeoutMs`. An endpoint that gives up `disableAfterFailures` deliveries
 * in a row is disabled (its pending deliveries kept) until an admin enables it again.
 */
export class WebhookService {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly queue: WebhookQueue;
  private readonly statements;
  private pruning: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    sqlite: SQLite.Database,
    private readonly writes: GroupCommit,
    outbox: Outbox,
    private readonly inbox: InboxRepository,
    private readonly sealer: Sealer,
    private readonly config: WebhooksConfig,
    private readonly log: FastifyBaseLogger,
  ) {
    this.queue = new WebhookQueue(
      sqlite,
      writes,
      config,
      log,
      (id) => {
        const endpoint = this.endpoints.get(id);
        return endpoint?.enabled ? { id, url: endpoint.url, secrets: signingSecrets(endpoint) } : undefined;
      },
      (id, failures, at) => this.disabledForFailing(id, failures, at),
    );
    this.statements = {
      pending: sqlite.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'pending'`),
      failures: sqlite.prepare<[string], { n: number }>('SELECT consecutive_failures AS n FROM webhook_endpoints WHERE id = ?'),
      last: sqlite.prepare<[string], { status: string; updated_at: string; last_status_code: number | null }>(
        `SELECT status, updated_at, last_status_code FROM webhook_deliveries WHERE endpoint_id = ? AND status != 'pending'
         ORDER BY updated_at DESC, id DESC LIMIT 1`,
      ),
    };
    outbox.listen(
      (event) => this.record(event),
      (companyId, type) => this.wanted(companyId, EVENT_OF[type]),
    );
  }

  // ---- lifecycle ---------------------------------------------------------------------------------

  /** Loads the endpoints (events are recorded for them from now on) and resumes pending deliveries. */
  async start(): Promise<void> {
    for (const row of await this.db.selectFrom('webhook_endpoints').selectAll().execute()) this.remember(this.fromRow(row));
    this.queue.kick();
    await this.prune();
    this.pruning = setInterval(() => void this.prune().catch((error: unknown) => this.log.warn({ err: error }, 'webhook log pruning failed')), 6 * 3600_000);
    this.pruning.unref();
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
    for (const endpoint of this.endpoints.values()) {
      if (endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt <= expired) {
        this.endpoints.set(endpoint.id, { ...endpoint, previousSecret: '', previousSecretExpiresAt: null });
      }
    }
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
    clearInterval(this.pruning);
    // Events keep being recorded until the database closes: what is pending is sent at the next start.
    await this.queue.stop();
  }

  // ---- endpoints (admin API) -------------------------------------------------------------------

  /** The company's endpoints, oldest first. */
  list(companyId: string): WebhookEndpointView[] {
    return [...this.endpoints.values()].filter((e) => e.companyId === companyId).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((e) => this.view(e));
  }

  /** One endpoint of the company; 404 for an unknown id or another company's. */
  get(companyId: string, id: string): WebhookEndpointView {
    return this.view(this.owned(companyId, id));
  }

  /** Adds an endpoint. Its secret is returned this once. */
  async create(companyId: string, input: { url: string; events: WebhookEventType[]; description?: string | undefined; enabled?: boolean | undefined }) {
    this.checkUrl(input.url);
    const now = new Date().toISOString();
    const endpoint: Endpoint = {
      id: randomUUID(),
      companyId,
      url: input.url,
      description: input.description?.trim() ?? '',
      events: [...new Set(input.events)],
      secret: newWebhookSecret(),
      previousSecret: '',
      previousSecretExpiresAt: null,
      enabled: input.enabled ?? true,
      disabledReason: null,
      createdAt: now,
      updatedAt: now,
    };
    await this.db
      .insertInto('webhook_endpoints')
      .values({
        id: endpoint.id,
        company_id: companyId,
        url: endpoint.url,
        description: endpoint.description,
        events: JSON.stringify(endpoint.events),
        secret_sealed: this.sealer.seal(endpoint.secret),
        enabled: endpoint.enabled ? 1 : 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    this.remember(endpoint);
    return { endpoint: this.view(endpoint), secret: endpoint.secret };
  }

  /**
   * Changes an endpoint, or gives it a new secret (returned this once). The secret it replaces
   * keeps signing beside it for `secretGraceMs`, unless `expirePreviousSecret`, which also ends
   * the grace period of an earlier rotation at once. Enabling or disabling it starts its count of
   * failures in a row again and clears why the queue disabled it; enabling it sends what it has
   * pending, in order.
   */
  async update(
    companyId: string,
    id: string,
    changes: {
      url?: string | undefined;
      events?: WebhookEventType[] | undefined;
      description?: string | undefined;
      enabled?: boolean | undefined;
      rotateSecret?: boolean | undefined;
      expirePreviousSecret?: boolean | undefined;
    },
  ) {
    const endpoint = this.owned(companyId, id);
    if (changes.url !== undefined) this.checkUrl(changes.url);
    const switched = changes.enabled !== undefined && changes.enabled !== endpoint.enabled;
    const secret = changes.rotateSecret ? newWebhookSecret() : undefined;
    const now = Date.now();
    const updatedAt = new Date(now).toISOString();
    // The secret a rotation replaces signs beside the new one for the grace period (if it can be
    // read; an older previous secret is dropped). `expirePreviousSecret` drops it at once.
    let previous: Pick<Endpoint, 'previousSecret' | 'previousSecretExpiresAt'> | undefined;
    if (secret && !changes.expirePreviousSecret && this.config.secretGraceMs > 0 && endpoint.secret) {
      previous = { previousSecret: endpoint.secret, previousSecretExpiresAt: new Date(now + this.config.secretGraceMs).toISOString() };
    } else if (secret || changes.expirePreviousSecret) {
      previous = { previousSecret: '', previousSecretExpiresAt: null };
    }
    const apply = (current: Endpoint): Endpoint => ({
      ...current,
      ...(changes.url !== undefined ? { url: changes.url } : {}),
      ...(changes.events !== undefined ? { events: [...new Set(changes.events)] } : {}),
      ...(changes.description !== undefined ? { description: changes.description.trim() } : {}),
      ...(switched ? { enabled: changes.enabled!, disabledReason: null } : {}),
      ...(secret ? { secret } : {}),
      ...previous,
      updatedAt,
    });
    const next = apply(endpoint);
    await this.db
      .updateTable('webhook_endpoints')
      .set({
        url: next.url,
        description: next.description,
        events: JSON.stringify(next.events),
        updated_at: updatedAt,
        ...(switched ? { enabled: next.enabled ? 1 : 0, disabled_reason: null, consecutive_failures: 0 } : {}),
        ...(secret ? { secret_sealed: this.sealer.seal(secret) } : {}),
        ...(previous
          ? {
              previous_secret_sealed: previous.previousSecret ? this.sealer.seal(previous.previousSecret) : null,
              previous_secret_expires_at: previous.previousSecretExpiresAt,
            }
          : {}),
      })
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .execute();
    // The queue may have disabled it meanwhile: change what is in memory now, not the copy read above.
    const changed = apply(this.endpoints.get(id) ?? endpoint);
    this.remember(changed);
    if (switched && changed.enabled) this.queue.kick();
    return { endpoint: this.view(changed), ...(secret ? { secret } : {}) };
  }

  /** Removes an endpoint with its queue and log. */
  async remove(companyId: string, id: string): Promise<void> {
    this.owned(companyId, id);
    await this.db.deleteFrom('webhook_endpoints').where('id', '=', id).where('company_id', '=', companyId).execute();
    this.endpoints.delete(id);
  }

  // ---- deliveries (admin API) ------------------------------------------------------------------

  /** An endpoint's deliveries, newest first. */
  async deliveries(companyId: string, endpointId: string, query: { status?: string | undefined; limit?: number | undefined; before?: string | undefined }) {
    this.owned(companyId, endpointId);
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
    const row = this.ownedDelivery(companyId, endpointId, deliveryId);
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
    const row = this.ownedDelivery(companyId, endpointId, deliveryId);
    const id = await this.writes.run(() => this.queue.queueDelivery(endpointId, row.event_id, companyId));
    this.queue.kick();
    return this.deliveryView(id);
  }

  /**
   * Sends a `webhook.test` event to one endpoint (queued like any event, so after what is pending)
   * and waits up to `waitMs` for its first attempt, to show the outcome at once.
   */
  async sendTest(companyId: string, endpointId: string, waitMs = this.config.timeoutMs + 2000): Promise<WebhookDeliveryView> {
    const endpoint = this.owned(companyId, endpointId);
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
  private record(event: OutboxEvent): void {
    const payload = this.build(event);
    if (!payload || !this.store({ payload }).length) return;
    // Runs on the next turn of the event loop, after this transaction has committed.
    this.queue.kick();
  }

  /** The body of an event as a webhook payload; conversation summaries are read in the same transaction. */
  private build(event: OutboxEvent): WebhookPayload | undefined {
    switch (event.type) {
      case 'message':
        return this.payload(event.companyId, 'message.created', { conversation_id: event.conversationId, message: event.message });
      case 'lead':
        return this.payload(event.companyId, 'lead.created', {
          lead: { id: event.leadId, conversation_id: event.conversationId, source: event.source, data: event.data, created_at: event.createdAt },
        });
      case 'handoff': {
        const conversation = this.inbox.summaryNow(event.companyId, event.conversationId);
        return conversation && this.payload(event.companyId, 'conversation.handoff', { conversation, reason: event.reason });
      }
      case 'resolved': {
        const conversation = this.inbox.summaryNow(event.companyId, event.conversationId);
        return conversation && this.payload(event.companyId, 'conversation.resolved', { conversation, resolved_by: event.by });
      }
    }
  }

  private payload(companyId: string, type: WebhookPayload['type'], data: Record<string, unknown>): WebhookPayload {
    return { id: `evt_${randomUUID().replaceAll('-', '')}`, type, created_at: new Date().toISOString(), company_id: companyId, data };
  }

  /** Inside a write: stores the event for every endpoint that wants it (or the one named). Returns the delivery ids. */
  private store(event: BuiltEvent): number[] {
    const { payload } = event;
    const targets = event.endpointId
      ? [this.endpoints.get(event.endpointId)].filter((e): e is Endpoint => !!e)
      : [...this.endpoints.values()].filter((e) => e.companyId === payload.company_id && e.enabled && e.events.includes(payload.type as WebhookEventType));
    return this.queue.store(payload, targets.map((e) => e.id));
  }

  private wanted(companyId: string, type: WebhookEventType): boolean {
    for (const e of this.endpoints.values()) if (e.companyId === companyId && e.enabled && e.events.includes(type)) return true;
    return false;
  }

  // ---- helpers ---------------------------------------------------------------------------------

  private checkUrl(url: string): void {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw Errors.validation('url: is not a valid URL');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw Errors.validation('url: must be http or https');
    const problem = this.config.allowPrivate ? undefined : privateHostProblem(parsed);
    if (problem) throw Errors.validation(`url: ${problem} (set PARLEY_WEBHOOKS_ALLOW_PRIVATE=true to allow private targets)`);
  }

  private owned(companyId: string, id: string): Endpoint {
    const endpoint = this.endpoints.get(id);
    if (!endpoint || endpoint.companyId !== companyId) throw Errors.notFound('Webhook endpoint not found');
    return endpoint;
  }

  private ownedDelivery(companyId: string, endpointId: string, deliveryId: string) {
    this.owned(companyId, endpointId);
    const row = /^[0-9]{1,15}$/.test(deliveryId) ? this.queue.delivery(Number(deliveryId)) : undefined;
    if (!row || row.company_id !== companyId || row.endpoint_id !== endpointId) throw Errors.notFound('Delivery not found');
    return row;
  }

  private deliveryView(id: number): WebhookDeliveryView {
    const row = this.queue.delivery(id);
    if (!row) throw Errors.notFound('Delivery not found');
    return toDeliveryView(row);
  }

  private view(endpoint: Endpoint): WebhookEndpointView {
    const pending = this.statements.pending.get(endpoint.id)?.n ?? 0;
    const last = this.statements.last.get(endpoint.id);
    return {
      id: endpoint.id,
      url: endpoint.url,
      description: endpoint.description,
      events: endpoint.events,
      enabled: endpoint.enabled,
      disabled_reason: endpoint.disabledReason,
      consecutive_failures: this.statements.failures.get(endpoint.id)?.n ?? 0,
      previous_secret_expires_at: signingSecrets(endpoint).length > 1 ? endpoint.previousSecretExpiresAt : null,
      created_at: endpoint.createdAt,
      updated_at: endpoint.updatedAt,
      pending,
      last_delivery: last ? { status: last.status as 'succeeded' | 'failed', at: last.updated_at, status_code: last.last_status_code } : null,
    };
  }

  private fromRow(row: WebhookEndpointRow): Endpoint {
    return {
      id: row.id,
      companyId: row.company_id,
      url: row.url,
      description: row.description,
      events: JSON.parse(row.events) as WebhookEventType[],
      secret: this.sealer.open(row.secret_sealed) ?? '',
      previousSecret: (row.previous_secret_sealed && this.sealer.open(row.previous_secret_sealed)) || '',
      previousSecretExpiresAt: row.previous_secret_sealed ? row.previous_secret_expires_at : null,
      enabled: row.enabled === 1,
      disabledReason: row.disabled_reason === 'failing' ? 'failing' : null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** After the queue disabled an endpoint for failing (committed): nothing new is queued for it. */
  private disabledForFailing(id: string, failures: number, at: string): void {
    const endpoint = this.endpoints.get(id);
    if (!endpoint) return;
    this.endpoints.set(id, { ...endpoint, enabled: false, disabledReason: 'failing', updatedAt: at });
    this.log.warn(
      { endpointId: id, companyId: endpoint.companyId, url: endpoint.url, failures },
      'webhook endpoint disabled after %d deliveries in a row were given up; its pending deliveries wait until it is enabled again',
      failures,
    );
  }

  private remember(endpoint: Endpoint): void {
    this.endpoints.set(endpoint.id, endpoint);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Webhook endpoints and the background delivery of events to them. */
    webhooks: WebhookService;
  }
}

export default fp(
  async (app, opts: { config: ParleyConfig }) => {
    const secret = opts.config.secret ?? loadOrCreateSecret(opts.config.dataDir);
    const webhooks = new WebhookService(
      app.db,
      app.sqlite,
      app.writes,
      app.outbox,
      app.inbox,
      new Sealer(secret, 'webhook-secret'),
      opts.config.webhooks,
      app.log.child({ module: 'webhooks' }),
    );
    app.decorate('webhooks', webhooks);
    // Sending starts once the server is ready; it stops before the database closes.
    app.addHook('onReady', async () => webhooks.start());
    app.addHook('onClose', async () => webhooks.stop());
  },
  { name: 'webhooks', dependencies: ['database', 'outbox', 'inbox'] },
);
