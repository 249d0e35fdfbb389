import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql, type QueryCreator } from 'kysely';
import type { Database } from '../db/database.js';
import type { DatabaseHandle } from '../db/handle.js';
import { param, prepareQuery } from '../db/prepared.js';
import type { Work } from '../db/step.js';
import type { WebhookEndpointRow } from '../db/tables/index.js';

/** Now, in epoch milliseconds, by the database's clock: every node measures leases by one clock. */
/** Endpoints (`e`) joined with each one's oldest pending delivery (`d`; index webhook_deliveries_endpoint: endpoint, status, id). */
function withHeadDelivery(qb: QueryCreator<Database>) {
  return qb.selectFrom('webhook_endpoints as e').innerJoin('webhook_deliveries as d', (join) =>
    join.on((eb) =>
      eb(
        'd.id',
        '=',
        eb
          .selectFrom('webhook_deliveries as x')
          .select((x) => x.fn.min('x.id').as('head'))
          .whereRef('x.endpoint_id', '=', 'e.id')
          .where('x.status', '=', 'pending'),
      ),
    ),
  );
}

const DATABASE_NOW_MS = sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/** An endpoint this node has just leased, with its oldest pending delivery and what to sign with. */
export type LeasedEndpoint = Pick<WebhookEndpointRow, 'url' | 'secret_sealed' | 'previous_secret_sealed' | 'previous_secret_expires_at'> & {
  endpoint_id: string;
  delivery_id: number;
};

/** A pending head that could not be claimed: when it falls due, and how long a lease on it still runs. */
export interface WaitingHead {
  endpoint_id: string;
  next_attempt_at: string | null;
  lease_left_ms: number;
}

/**
 * Per-endpoint leases for sending webhooks from several nodes on one PostgreSQL database (only
 * there: SQLite has one process, which sends without them).
 *
 * A node sends an endpoint's oldest pending delivery only while it holds the endpoint's lease
 * (`webhook_endpoints.leased_by`, `lease_until`), so each endpoint has one request in flight across
 * all nodes and gets its events in order, and no two nodes send the same delivery:
 * - `claim` takes, in one statement, up to `limit` enabled endpoints whose oldest pending delivery
 *   is due and whose lease is free or expired, locking their rows `FOR UPDATE SKIP LOCKED` (a node
 *   claiming at the same moment skips them instead of waiting) and setting the lease;
 * - `renew` extends it while the request is in flight;
 * - `release` (inside the write that records the attempt) ends it only if this node still holds
 *   it, and tells whether it did: a node that lost its lease records nothing, the new holder does.
 * Lease times use the database's clock, so nodes with skewed clocks agree. A node that dies holding
 * a lease delays that endpoint by at most `leaseMs`; then any node takes it over.
 */
export class EndpointLeases {
  /** This node's name in `leased_by`: host, process and a random part (two apps in one process differ). */
  readonly node = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly statements;

  constructor(
    database: DatabaseHandle,
    private readonly leaseMs: number,
  ) {
    const { db } = database;
    const node = param<string>();
    this.statements = {
      claim: prepareQuery(database, { node, now: param<string>(), limit: param<number>(), leaseMs: param<number>(), busy: param<string[]>() }, (p) =>
        db
          .with('claimable', (qb) =>
            withHeadDelivery(qb)
              .select(['e.id', 'd.id as delivery_id'])
              .where('e.enabled', '=', 1)
              .where((eb) => eb.or([eb('e.lease_until', 'is', null), eb('e.lease_until', '<', DATABASE_NOW_MS)]))
              .where((eb) => eb.or([eb('d.next_attempt_at', 'is', null), eb('d.next_attempt_at', '<=', p.now)]))
              // Endpoints this node is sending to already (a lease that expired under it is not taken twice).
              .where(sql<boolean>`e.id <> ALL(CAST(${p.busy} AS text[]))`)
              .orderBy('d.id')
              .limit(p.limit)
              .forUpdate('e')
              .skipLocked(),
          )
          .updateTable('webhook_endpoints')
          .from('claimable')
          .set({ leased_by: p.node, lease_until: sql<number>`${DATABASE_NOW_MS} + ${p.leaseMs}` })
          .whereRef('webhook_endpoints.id', '=', 'claimable.id')
          .returning([
            'webhook_endpoints.id as endpoint_id',
            'claimable.delivery_id',
            'webhook_endpoints.url',
            'webhook_endpoints.secret_sealed',
            'webhook_endpoints.previous_secret_sealed',
            'webhook_endpoints.previous_secret_expires_at',
          ]),
      ),
      waiting: prepareQuery(database, { now: param<string>() }, (p) =>
        withHeadDelivery(db)
          .select([
            'e.id as endpoint_id',
            'd.next_attempt_at',
            sql<number>`CASE WHEN e.lease_until IS NULL THEN 0 ELSE greatest(0, e.lease_until - ${DATABASE_NOW_MS}) END`.as('lease_left_ms'),
          ])
          .where('e.enabled', '=', 1)
          .where((eb) => eb.or([eb('d.next_attempt_at', '>', p.now), eb('e.lease_until', '>=', DATABASE_NOW_MS)])),
      ),
      renew: prepareQuery(database, { node, id: param<string>(), leaseMs: param<number>() }, (p) =>
        db
          .updateTable('webhook_endpoints')
          .set({ lease_until: sql<number>`${DATABASE_NOW_MS} + ${p.leaseMs}` })
          .where('id', '=', p.id)
          .where('leased_by', '=', p.node),
      ),
      release: prepareQuery(database, { node, id: param<string>() }, (p) =>
        db.updateTable('webhook_endpoints').set({ leased_by: null, lease_until: null }).where('id', '=', p.id).where('leased_by', '=', p.node),
      ),
      releaseAll: prepareQuery(database, { node }, (p) =>
        db.updateTable('webhook_endpoints').set({ leased_by: null, lease_until: null }).where('leased_by', '=', p.node),
      ),
    };
  }

  /**
   * Leases up to `limit` endpoints whose oldest pending delivery is due by `now` (ISO time),
   * oldest delivery first, leaving out `busy` (those this node is sending to).
   */
  async claim(limit: number, now: string, busy: string[]): Promise<LeasedEndpoint[]> {
    if (limit <= 0) return [];
    return this.statements.claim.all({ node: this.node, now, limit, leaseMs: this.leaseMs, busy });
  }

  /** The pending heads that are not due by `now` or are leased: to know when to look again. */
  async waiting(now: string): Promise<WaitingHead[]> {
    return this.statements.waiting.all({ now });
  }

  /** Extends this node's lease on an endpoint; false when it no longer holds it. */
  async renew(endpointId: string): Promise<boolean> {
    return (await this.statements.renew.run({ node: this.node, id: endpointId, leaseMs: this.leaseMs })).changes > 0;
  }

  /** Inside a write: ends this node's lease on an endpoint; false when it no longer held it. */
  *release(endpointId: string): Work<boolean> {
    return (yield* this.statements.release.run({ node: this.node, id: endpointId })).changes > 0;
  }

  /** Ends every lease this node holds (when it stops), so other nodes take its endpoints at once. */
  async releaseAll(): Promise<void> {
    await this.statements.releaseAll.run({ node: this.node });
  }
}
