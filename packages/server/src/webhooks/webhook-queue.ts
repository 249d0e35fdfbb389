import type { FastifyBaseLogger } from 'fastify';
import type { WebhookDeliveryStatus, WebhookPayload } from '@parley/protocol';
import type { WebhooksConfig } from '../config.js';
import type { DatabaseHandle } from '../db/handle.js';
import type { WriteQueue } from '../db/write-queue.js';
import { param, prepareQuery } from '../db/prepared.js';
import type { Work } from '../db/step.js';
import type { WebhookDeliveryRow } from '../db/tables/index.js';
import { postWebhook, signatureHeader, standardSignatureHeader, type PostResult } from './webhook-post.js';
import { EndpointLeases, type LeasedEndpoint, type WaitingHead } from './endpoint-leases.js';
import { probes } from '../core/probes.js';

/** Where a delivery goes and the secrets to sign it with, current first (none when they cannot be read). */
export interface SendTarget {
  id: string;
  url: string;
  secrets: string[];
}

/**
 * On PostgreSQL, how often a node looks for due deliveries even when nothing told it to: those
 * another node stored and died before sending, and leases of dead nodes that expired.
 */
const SHARED_POLL_MS = 5_000;

/** The delay before retry number `attempt` (1 after the first failure): doubling, capped, ±20 % jitter. */
export function retryDelayMs(attempt: number, config: Pick<WebhooksConfig, 'retryBaseMs' | 'retryMaxMs'>, random = Math.random): number {
  const base = Math.min(config.retryMaxMs, config.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + random() * 0.4));
}

/** The shortest pause between two scans that a head's time coming round asks for (PostgreSQL). */
const SHARED_RESCAN_MIN_MS = 5;

/**
 * PostgreSQL: when to scan again, given the heads `waiting` returned: when the first one this node
 * could take falls due (its retry time, and another node's lease on it ended), and within
 * `SHARED_POLL_MS` in any case. A head whose time came while the scan ran (the claim saw it not due
 * yet, the clock has moved on since) is due now: it is looked at again at once, not after the poll,
 * when this node has a free slot (with none, the next finished request looks again).
 */
export function nextSharedScan(waiting: readonly WaitingHead[], busy: ReadonlySet<string>, now: number, hasFreeSlot: boolean): number {
  let soonest = now + SHARED_POLL_MS;
  for (const head of waiting) {
    if (busy.has(head.endpoint_id)) continue;
    const at = Math.max(head.next_attempt_at ? Date.parse(head.next_attempt_at) : now, now + Number(head.lease_left_ms));
    if (at > now || hasFreeSlot) soonest = Math.min(soonest, Math.max(at, now + SHARED_RESCAN_MIN_MS));
  }
  return soonest;
}

/** A delivery row with its event's body and type. */
export type DeliveryRow = WebhookDeliveryRow & { payload: string; event_type: WebhookPayload['type'] };

/**
 * The persisted delivery queue and its sender. One row per event and endpoint in SQLite; the
 * sender starts, for every endpoint, its oldest pending delivery once due, one at a time per
 * endpoint (so each endpoint gets its events in order) and at most `concurrency` in all. A
 * failed attempt is scheduled again with backoff until `maxAttempts`; every attempt is logged.
 * Each endpoint counts the deliveries it gave up in a row (a success resets the count); at
 * `disableAfterFailures` the endpoint is disabled, in the same write, and what it still has
 * pending waits for it to be enabled again. Nothing here runs on a request's path: it is driven
 * by timers and `kick()`.
 *
 * On PostgreSQL several nodes share the queue: a node sends to an endpoint only while it holds the
 * endpoint's lease (`EndpointLeases`: claimed `FOR UPDATE SKIP LOCKED`, renewed while the request
 * is in flight, released in the write that records the attempt), so one request per endpoint is
 * in flight across all nodes and no delivery is sent by two. It signs with the endpoint as the
 * database has it (another node may have changed it), and also looks for due deliveries every few
 * seconds (another node may have stored them and died). On SQLite none of this runs.
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

  private scanning: Promise<void> | undefined;
  private scanAgain = false;
  /** PostgreSQL only: the leases that let several nodes share the queue. */
  private readonly leases: EndpointLeases | undefined;

  constructor(
    database: DatabaseHandle,
    private readonly writes: WriteQueue,
    private readonly config: WebhooksConfig,
    private readonly log: FastifyBaseLogger,
    /** Where an endpoint that may be sent to now is, from memory (SQLite); undefined when it is gone or disabled. */
    private readonly endpointOf: (id: string) => SendTarget | undefined,
    /** Told after the commit that disabled an endpoint for failing: its failures in a row, and when. */
    private readonly onDisabled: (endpointId: string, failures: number, at: string) => void,
    /** Where a leased endpoint is, from its row as just read (PostgreSQL). */
    private readonly targetOf: (leased: LeasedEndpoint) => SendTarget,
  ) {
    const { db } = database;
    this.leases = database.dialect === 'postgres' ? new EndpointLeases(database, config.leaseMs) : undefined;
    this.statements = {
      insertEvent: prepareQuery(
        database,
        { id: param<string>(), companyId: param<string>(), type: param<WebhookPayload['type']>(), payload: param<string>(), at: param<string>() },
        (p) => db.insertInto('webhook_events').values({ id: p.id, company_id: p.companyId, type: p.type, payload: p.payload, created_at: p.at }),
      ),
      insertDelivery: prepareQuery(database, { endpointId: param<string>(), eventId: param<string>(), companyId: param<string>(), at: param<string>() }, (p) =>
        db.insertInto('webhook_deliveries').values({
          endpoint_id: p.endpointId,
          event_id: p.eventId,
          company_id: p.companyId,
          status: 'pending',
          attempts: 0,
          next_attempt_at: p.at,
          created_at: p.at,
          updated_at: p.at,
        })
        .returning('id'),
      ),
      // The oldest pending delivery of every enabled endpoint.
      heads: prepareQuery(database, {}, () =>
        db
          .selectFrom((eb) =>
            eb
              .selectFrom('webhook_deliveries')
              .select((eb) => ['endpoint_id', eb.fn.min('id').as('id')])
              .where('status', '=', 'pending')
              .groupBy('endpoint_id')
              .as('h'),
          )
          .innerJoin('webhook_deliveries as d', 'd.id', 'h.id')
          .innerJoin('webhook_endpoints as e', (join) => join.onRef('e.id', '=', 'h.endpoint_id').on('e.enabled', '=', 1))
          .select(['d.id', 'd.endpoint_id', 'd.next_attempt_at']),
      ),
      delivery: prepareQuery(database, { id: param<number>() }, (p) =>
        db
          .selectFrom('webhook_deliveries as d')
          .innerJoin('webhook_events as ev', 'ev.id', 'd.event_id')
          .selectAll('d')
          .select(['ev.payload', 'ev.type as event_type'])
          .where('d.id', '=', p.id),
      ),
      recordAttempt: prepareQuery(
        database,
        {
          deliveryId: param<number>(),
          companyId: param<string>(),
          attempt: param<number>(),
          statusCode: param<number | null>(),
          error: param<string | null>(),
          responseBody: param<string | null>(),
          durationMs: param<number>(),
          at: param<string>(),
        },
        (p) =>
          db.insertInto('webhook_attempts').values({
            delivery_id: p.deliveryId,
            company_id: p.companyId,
            attempt: p.attempt,
            status_code: p.statusCode,
            error: p.error,
            response_body: p.responseBody,
            duration_ms: p.durationMs,
            created_at: p.at,
          }),
      ),
      updateDelivery: prepareQuery(
        database,
        {
          id: param<number>(),
          status: param<WebhookDeliveryStatus>(),
          attempts: param<number>(),
          next: param<string | null>(),
          statusCode: param<number | null>(),
          error: param<string | null>(),
          durationMs: param<number>(),
          at: param<string>(),
        },
        (p) =>
          db
            .updateTable('webhook_deliveries')
            .set({
              status: p.status,
              attempts: p.attempts,
              next_attempt_at: p.next,
              last_status_code: p.statusCode,
              last_error: p.error,
              last_duration_ms: p.durationMs,
              updated_at: p.at,
            })
            .where('id', '=', p.id),
      ),
      resetFailures: prepareQuery(database, { id: param<string>() }, (p) =>
        db.updateTable('webhook_endpoints').set({ consecutive_failures: 0 }).where('id', '=', p.id).where('consecutive_failures', '!=', 0),
      ),
      countFailure: prepareQuery(database, { id: param<string>() }, (p) =>
        db
          .updateTable('webhook_endpoints')
          .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1) }))
          .where('id', '=', p.id)
          .returning('consecutive_failures as failures'),
      ),
      disableFailing: prepareQuery(database, { id: param<string>(), at: param<string>() }, (p) =>
        db.updateTable('webhook_endpoints').set({ enabled: 0, disabled_reason: 'failing', updated_at: p.at }).where('id', '=', p.id).where('enabled', '=', 1),
      ),
    };
  }

  /** Inside a write: stores an event and one delivery per endpoint. Returns the delivery ids. */
  *store(payload: WebhookPayload, endpointIds: string[]): Work<number[]> {
    if (!endpointIds.length) return [];
    yield* this.statements.insertEvent.run({ id: payload.id, companyId: payload.company_id, type: payload.type, payload: JSON.stringify(payload), at: payload.created_at });
    const ids: number[] = [];
    for (const endpointId of endpointIds) ids.push(yield* this.queueDelivery(endpointId, payload.id, payload.company_id));
    return ids;
  }

  /** Inside a write: queues a stored event for an endpoint, behind what it has pending. */
  *queueDelivery(endpointId: string, eventId: string, companyId: string): Work<number> {
    const now = new Date().toISOString();
    const row = yield* this.statements.insertDelivery.get({ endpointId, eventId, companyId, at: now });
    return Number(row!.id);
  }

  /** A delivery with its event. */
  async delivery(id: number): Promise<DeliveryRow | undefined> {
    return this.statements.delivery.get({ id });
  }

  /**
   * Stops sending: requests in flight are abandoned and stay pending (sent again on the next
   * start, or by another node). On PostgreSQL this node's leases are released, so other nodes
   * take its endpoints over at once.
   */
  async stop(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.abort.abort();
    await Promise.allSettled([...this.inFlight, this.scanning]);
    await this.leases?.releaseAll().catch((error: unknown) => this.log.warn({ err: error }, 'releasing webhook endpoint leases failed; they expire by themselves'));
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

  /** One scan at a time; a scan asked for meanwhile runs once the current one ends. */
  private scan(): void {
    if (this.closed) return;
    if (this.scanning) {
      this.scanAgain = true;
      return;
    }
    this.scanning = (this.leases ? this.scanShared(this.leases) : this.scanNow())
      .catch((error: unknown) => {
        this.log.error({ err: error }, 'looking for due webhook deliveries failed');
        // On PostgreSQL the database may be away for a moment: look again later.
        if (this.leases) this.wake(Date.now() + SHARED_POLL_MS);
      })
      .finally(() => {
        this.scanning = undefined;
        if (this.scanAgain) {
          this.scanAgain = false;
          this.scan();
        }
      });
  }

  /** Starts the oldest pending delivery of every idle endpoint that is due, within the concurrency cap. */
  private async scanNow(): Promise<void> {
    const heads = await this.statements.heads.all({});
    if (this.closed) return;
    const now = Date.now();
    let soonest = Infinity;
    for (const head of heads) {
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

  /**
   * PostgreSQL: leases and starts the due heads this node can take (up to its free slots), then
   * wakes when the next head falls due or another node's lease on one runs out, and within
   * `SHARED_POLL_MS` in any case.
   */
  private async scanShared(leases: EndpointLeases): Promise<void> {
    const nowIso = new Date().toISOString();
    const claimed = await leases.claim(this.config.concurrency - this.inFlight.size, nowIso, [...this.busy]);
    // Claimed while stopping: released by `stop`, after this scan.
    if (this.closed) return;
    for (const leased of claimed) this.send(leased.delivery_id, leased.endpoint_id, this.targetOf(leased));
    const waiting = await leases.waiting(nowIso);
    if (this.closed) return;
    this.wake(nextSharedScan(waiting, this.busy, Date.now(), this.inFlight.size < this.config.concurrency));
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

  private send(deliveryId: number, endpointId: string, leased?: SendTarget): void {
    this.busy.add(endpointId);
    const attempt = (leased ? this.attemptLeased(deliveryId, leased) : this.attempt(deliveryId))
      .then(() => undefined)
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

  /**
   * PostgreSQL: one attempt while holding the endpoint's lease, renewed every third of `leaseMs`
   * while the request is in flight. The write that records the attempt releases the lease; when
   * nothing was recorded (the delivery is gone, the write failed) it is released on its own.
   */
  private async attemptLeased(deliveryId: number, target: SendTarget): Promise<void> {
    const leases = this.leases!;
    const renewal = setInterval(() => {
      leases.renew(target.id).then(
        (held) => {
          if (!held) this.log.warn({ endpointId: target.id, deliveryId }, 'webhook endpoint lease lost while sending; another node may send this delivery again');
        },
        (error: unknown) => this.log.warn({ err: error, endpointId: target.id }, 'renewing a webhook endpoint lease failed'),
      );
    }, Math.max(50, Math.floor(this.config.leaseMs / 3)));
    let released = false;
    try {
      released = await this.attempt(deliveryId, target);
    } finally {
      clearInterval(renewal);
      if (!released && !this.closed) await this.writes.run(() => leases.release(target.id));
    }
  }

  /**
   * Sends a delivery once and records the outcome. Given a leased `target` (PostgreSQL), the
   * record is written only if this node still holds the lease, which the same write releases;
   * returns whether it was released.
   */
  private async attempt(deliveryId: number, target?: SendTarget): Promise<boolean> {
    const row = await this.statements.delivery.get({ id: deliveryId });
    const endpoint = target ?? (row ? this.endpointOf(row.endpoint_id) : undefined);
    if (!row || !endpoint || row.status !== 'pending') return false;
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
    if (this.closed) return false;
    const attempts = row.attempts + 1;
    const ok = result.error === undefined;
    const status: WebhookDeliveryStatus = ok ? 'succeeded' : attempts >= this.config.maxAttempts ? 'failed' : 'pending';
    const now = new Date();
    const next = status === 'pending' ? new Date(now.getTime() + retryDelayMs(attempts, this.config)).toISOString() : null;
    if (!ok) this.log.info({ deliveryId, endpointId: endpoint.id, attempts, status, error: result.error }, 'webhook delivery failed');
    if (probes.webhookAttempt.hasSubscribers) probes.webhookAttempt.publish({ ok, gaveUp: status === 'failed' });
    const statements = this.statements;
    const countFailure = (id: string) => this.countFailure(id, now);
    const leases = target && this.leases;
    const recorded = await this.writes.run(function* (): Work<{ disabledAfter: number | undefined } | undefined> {
      // Another node took the endpoint over (this node's lease ran out): it records, not this one.
      if (leases && !(yield* leases.release(endpoint.id))) return undefined;
      yield* statements.recordAttempt.run({
        deliveryId: row.id,
        companyId: row.company_id,
        attempt: attempts,
        statusCode: result.statusCode ?? null,
        error: result.error ?? null,
        responseBody: result.responseBody ?? null,
        durationMs: result.durationMs,
        at: now.toISOString(),
      });
      yield* statements.updateDelivery.run({
        id: row.id,
        status,
        attempts,
        next,
        statusCode: result.statusCode ?? null,
        error: result.error ?? null,
        durationMs: result.durationMs,
        at: now.toISOString(),
      });
      if (status === 'succeeded') yield* statements.resetFailures.run({ id: endpoint.id });
      return { disabledAfter: status === 'failed' ? yield* countFailure(endpoint.id) : undefined };
    });
    if (!recorded) {
      this.log.warn({ deliveryId, endpointId: endpoint.id }, 'webhook attempt not recorded: the endpoint lease passed to another node');
      return true;
    }
    if (recorded.disabledAfter !== undefined) this.onDisabled(endpoint.id, recorded.disabledAfter, now.toISOString());
    return leases !== undefined;
  }

  /**
   * Inside a write: counts a given-up delivery against its endpoint and disables the endpoint when
   * the count reached `disableAfterFailures` (0: never). Returns the count when it was disabled now.
   */
  private *countFailure(endpointId: string, now: Date): Work<number | undefined> {
    const failures = (yield* this.statements.countFailure.get({ id: endpointId }))?.failures ?? 0;
    const limit = this.config.disableAfterFailures;
    if (limit <= 0 || failures < limit) return undefined;
    return (yield* this.statements.disableFailing.run({ id: endpointId, at: now.toISOString() })).changes ? failures : undefined;
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
