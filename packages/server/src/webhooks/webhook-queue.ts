import type { FastifyBaseLogger } from 'fastify';
import type SQLite from 'better-sqlite3';
import type { WebhookPayload } from '@parley/protocol';
import type { WebhooksConfig } from '../config.js';
import type { GroupCommit } from '../db/group-commit.js';
import type { WebhookDeliveryRow } from '../db/tables/index.js';
import { postWebhook, signatureHeader, standardSignatureHeader, type PostResult } from './webhook-post.js';
import { probes } from '../core/probes.js';

/** The delay before retry number `attempt` (1 after the first failure): doubling, capped, ±20 % jitter. */
export function retryDelayMs(attempt: number, config: Pick<WebhooksConfig, 'retryBaseMs' | 'retryMaxMs'>, random = Math.random): number {
  const base = Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + random() * 0.4));
}

/** A delivery row with its event's body and type. */
export type DeliveryRow = WebhookDeliveryRow & { payload: string; event_type: string };

/**
 * The persisted delivery queue and its sender. One row per event and endpoint in SQLite; the
 * sender starts, for every endpoint, its oldest pending delivery once due, one at a time per
 * endpoint (so each endpoint gets its events in order) and at most `concurrency` in all. A
 * failed attempt is scheduled again with backoff until `maxAttempts`; every attempt is logged.
 * Each endpoint counts the deliveries it gave up in a row (a success resets the count); at
 * `disableAfterFailures` the endpoint is disabled, in the same write, and what it still has
 * pending waits for it to be enabled again. Nothing here runs on a request's path: it is driven
 * by timers and `kick()`.
 */
export class WebhookQueue {
  private readonly statements;
  private readonly busy = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private wakeAt = Infinity;
  private scanScheduled = false;
  private closed = false;
  private readonly abort = new AbortController();
  private readonly waiters = new Map<number, Array<() => void>>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    sqlite: SQLite.Database,
    private readonly writes: GroupCommit,
    private readonly config: WebhooksConfig,
    private readonly log: FastifyBaseLogger,
    /**
     * The URL of an endpoint that may be sent to now and the secrets to sign with, current first
     * (none when it cannot be read); undefined when the endpoint is gone or disabled.
     */
    private readonly endpointOf: (id: string) => { id: string; url: string; secrets: string[] } | undefined,
    /** Told after the commit that disabled an endpoint for failing: its failures in a row, and when. */
    private readonly onDisabled: (endpointId: string, failures: number, at: string) => void,
  ) {
    this.statements = {
      insertEvent: sqlite.prepare('INSERT INTO webhook_events (id, company_id, type, payload, created_at) VALUES (?, ?, ?, ?, ?)'),
      insertDelivery: sqlite.prepare(
        `INSERT INTO webhook_deliveries (endpoint_id, event_id, company_id, status, attempts, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, 'pending', 0, ?, ?, ?)`,
      ),
      heads: sqlite.prepare<[], { id: number; endpoint_id: string; next_attempt_at: string | null }>(
        `SELECT d.id, d.endpoint_id, d.next_attempt_at
         FROM (SELECT endpoint_id, min(id) AS id FROM webhook_deliveries WHERE status = 'pending' GROUP BY endpoint_id) h
         JOIN webhook_deliveries d ON d.id = h.id
         JOIN webhook_endpoints e ON e.id = h.endpoint_id AND e.enabled = 1`,
      ),
      delivery: sqlite.prepare<[number], DeliveryRow>(
        `SELECT d.*, ev.payload, ev.type AS event_type FROM webhook_deliveries d JOIN webhook_events ev ON ev.id = d.event_id WHERE d.id = ?`,
      ),
      recordAttempt: sqlite.prepare(
        `INSERT INTO webhook_attempts (delivery_id, company_id, attempt, status_code, error, response_body, duration_ms, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateDelivery: sqlite.prepare(
        `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_status_code = ?, last_error = ?,
           last_duration_ms = ?, updated_at = ? WHERE id = ?`,
      ),
      resetFailures: sqlite.prepare('UPDATE webhook_endpoints SET consecutive_failures = 0 WHERE id = ? AND consecutive_failures != 0'),
      countFailure: sqlite.prepare<[string], { failures: number }>(
        'UPDATE webhook_endpoints SET consecutive_failures = consecutive_failures + 1 WHERE id = ? RETURNING consecutive_failures AS failures',
      ),
      disableFailing: sqlite.prepare(`UPDATE webhook_endpoints SET enabled = 0, disabled_reason = 'failing', updated_at = ? WHERE id = ? AND enabled = 1`),
    };
  }

  /** Inside a write: stores an event and one delivery per endpoint. Returns the delivery ids. */
  store(payload: WebhookPayload, endpointIds: string[]): number[] {
    if (!endpointIds.length) return [];
    this.statements.insertEvent.run(payload.id, payload.company_id, payload.type, JSON.stringify(payload), payload.created_at);
    return endpointIds.map((endpointId) => this.queueDelivery(endpointId, payload.id, payload.company_id));
  }

  /** Inside a write: queues a stored event for an endpoint, behind what it has pending. */
  queueDelivery(endpointId: string, eventId: string, companyId: string): number {
    const now = new Date().toISOString();
    return Number(this.statements.insertDelivery.run(endpointId, eventId, companyId, now, now, now).lastInsertRowid);
  }

  /** A delivery with its event. */
  delivery(id: number): DeliveryRow | undefined {
    return this.statements.delivery.get(id);
  }

  /** Stops sending: requests in flight are abandoned and stay pending (sent again on the next start). */
  async stop(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await Promise.allSettled([...this.inFlight]);
  }

  /** Looks for due deliveries soon (after the current write commits). */
  kick(): void {
    if (this.closed || this.scanScheduled) return;
    this.scanScheduled = true;
    setImmediate(() => {
      this.scanScheduled = false;
      this.scan();
    });
  }

  /** Starts the oldest pending delivery of every idle endpoint that is due, within the concurrency cap. */
  private scan(): void {
    if (this.closed) return;
    const now = Date.now();
    let soonest = Infinity;
    for (const head of this.statements.heads.all()) {
      if (this.busy.has(head.endpoint_id)) continue;
      const due = head.next_attempt_at ? Date.parse(head.next_attempt_at) : now;
      if (due > now) {
        soonest = Math.min(soonest, due);
        continue;
      }
      if (this.inFlight.size >= this.config.concurrency) break;
      this.send(head.id, head.endpoint_id);
    }
    this.wake(soonest);
  }

  private wake(at: number): void {
    if (at === Infinity || at >= this.wakeAt) return;
    clearTimeout(this.timer);
    this.wakeAt = at;
    this.timer = setTimeout(() => {
      this.wakeAt = Infinity;
      this.scan();
    }, Math.max(0, at - Date.now()));
    this.timer.unref?.();
  }

  private send(deliveryId: number, endpointId: string): void {
    this.busy.add(endpointId);
    const attempt = this.attempt(deliveryId)
      .catch((error: unknown) => this.log.error({ err: error, deliveryId }, 'webhook attempt failed to record'))
      .finally(() => {
        this.busy.delete(endpointId);
        this.inFlight.delete(attempt);
        for (const wake of this.waiters.get(deliveryId) ?? []) wake();
        this.waiters.delete(deliveryId);
        this.kick();
      });
    this.inFlight.add(attempt);
  }

  private async attempt(deliveryId: number): Promise<void> {
    const row = this.statements.delivery.get(deliveryId);
    const endpoint = row ? this.endpointOf(row.endpoint_id) : undefined;
    if (!row || !endpoint || row.status !== 'pending') return;
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = {
      'user-agent': 'Parley-Webhooks/1',
      'x-parley-event': row.event_type,
      'x-parley-event-id': row.event_id,
      'x-parley-delivery': String(row.id),
      'x-parley-timestamp': String(timestamp),
      'x-parley-signature': signatureHeader(endpoint.secrets, timestamp, row.payload),
      // Standard Webhooks: the event id stays the same across retries, so receivers can dedupe on it.
      'webhook-id': row.event_id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': standardSignatureHeader(endpoint.secrets, row.event_id, timestamp, row.payload),
    };
    // A secret sealed with another instance secret cannot be read: never send unsigned.
    const result: PostResult = endpoint.secrets.length
      ? await postWebhook(endpoint.url, row.payload, headers, { timeoutMs: this.config.timeoutMs, allowPrivate: this.config.allowPrivate, signal: this.abort.signal })
      : { error: 'The signing secret cannot be read (the instance secret changed): make a new secret for this endpoint', durationMs: 0 };
    if (this.closed) return;
    const attempts = row.attempts + 1;
    const ok = result.error === undefined;
    const status = ok ? 'succeeded' : attempts >= this.config.maxAttempts ? 'failed' : 'pending';
    const now = new Date();
    const next = status === 'pending' ? new Date(now.getTime() + retryDelayMs(attempts, this.config)).toISOString() : null;
    if (!ok) this.log.info({ deliveryId, endpointId: endpoint.id, attempts, status, error: result.error }, 'webhook delivery failed');
    if (probes.webhookAttempt.hasSubscribers) probes.webhookAttempt.publish({ ok, gaveUp: status === 'failed' });
    const disabledAfter = await this.writes.run(() => {
      this.statements.recordAttempt.run(
        row.id,
        row.company_id,
        attempts,
        result.statusCode ?? null,
        result.error ?? null,
        result.responseBody ?? null,
        result.durationMs,
        now.toISOString(),
      );
      this.statements.updateDelivery.run(status, attempts, next, result.statusCode ?? null, result.error ?? null, result.durationMs, now.toISOString(), row.id);
      if (status === 'succeeded') this.statements.resetFailures.run(endpoint.id);
      return status === 'failed' ? this.countFailure(endpoint.id, now) : undefined;
    });
    if (disabledAfter !== undefined) this.onDisabled(endpoint.id, disabledAfter, now.toISOString());
  }

  /**
   * Inside a write: counts a given-up delivery against its endpoint and disables the endpoint when
   * the count reached `disableAfterFailures` (0: never). Returns the count when it was disabled now.
   */
  private countFailure(endpointId: string, now: Date): number | undefined {
    const failures = this.statements.countFailure.get(endpointId)?.failures ?? 0;
    const limit = this.config.disableAfterFailures;
    if (limit <= 0 || failures < limit) return undefined;
    return this.statements.disableFailing.run(now.toISOString(), endpointId).changes ? failures : undefined;
  }

  /** Resolves when a delivery's current attempt finished, or after `ms`. */
  settled(deliveryId: number, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      const list = this.waiters.get(deliveryId) ?? [];
      list.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.waiters.set(deliveryId, list);
    });
  }
}
