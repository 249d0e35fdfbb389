import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { WebhookEndpointView, WebhookEventType } from '@parley/protocol';
import type { WebhooksConfig } from '../config.js';
import type { Database } from '../db/database.js';
import { param, prepareQuery } from '../db/prepared.js';
import type { DatabaseHandle } from '../db/handle.js';
import type { WebhookEndpointRow } from '../db/tables/index.js';
import { Errors } from '../errors.js';
import { privateHostProblem } from '../lib/net-guard.js';
import type { Sealer } from '../lib/sealed.js';
import type { SendTarget } from './webhook-queue.js';

/** An endpoint as the service keeps it in memory. */
export interface Endpoint {
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

/**
 * A new endpoint signing secret in the Standard Webhooks form: `whsec_` and 32 random bytes in
 * standard base64, such as `whsec_Qm9+...=`, which the specification's verifiers decode as the key.
 */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The secrets an endpoint's requests are signed with now: its secret, then the one it replaced
 * while that one's grace period lasts. None when its secret cannot be read (never send unsigned).
 */
export function signingSecrets(endpoint: Pick<Endpoint, 'secret' | 'previousSecret' | 'previousSecretExpiresAt'>, now = Date.now()): string[] {
  if (!endpoint.secret) return [];
  const previousValid = endpoint.previousSecret && endpoint.previousSecretExpiresAt && Date.parse(endpoint.previousSecretExpiresAt) > now;
  return previousValid ? [endpoint.secret, endpoint.previousSecret] : [endpoint.secret];
}

/** Whether the endpoint is on and takes `type` events of the company. */
function subscribes(endpoint: Endpoint, companyId: string, type: WebhookEventType): boolean {
  return endpoint.companyId === companyId && endpoint.enabled && endpoint.events.includes(type);
}

/**
 * A company's webhook endpoints: kept in memory (every stored event asks who wants it), changed
 * through the admin API, signing secrets sealed at rest. The queue reports when it disabled one
 * for failing (`disabledForFailing`); enabling one again calls `onEnabled` so its pending
 * deliveries are sent.
 */
export class WebhookEndpoints {
  private readonly endpoints = new Map<string, Endpoint>();
  private readonly statements;

  private readonly db: Kysely<Database>;

  constructor(
    database: DatabaseHandle,
    private readonly sealer: Sealer,
    private readonly config: WebhooksConfig,
    private readonly log: FastifyBaseLogger,
    private readonly onEnabled: () => void,
  ) {
    const db = (this.db = database.db);
    this.statements = {
      pending: prepareQuery(database, { id: param<string>() }, (p) =>
        db
          .selectFrom('webhook_deliveries')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('endpoint_id', '=', p.id)
          .where('status', '=', 'pending'),
      ),
      failures: prepareQuery(database, { id: param<string>() }, (p) =>
        db.selectFrom('webhook_endpoints').select('consecutive_failures as n').where('id', '=', p.id),
      ),
      last: prepareQuery(database, { id: param<string>() }, (p) =>
        db
          .selectFrom('webhook_deliveries')
          .select(['status', 'updated_at', 'last_status_code'])
          .where('endpoint_id', '=', p.id)
          .where('status', '!=', 'pending')
          .$narrowType<{ status: 'succeeded' | 'failed' }>()
          .orderBy('updated_at', 'desc')
          .orderBy('id', 'desc')
          .limit(1),
      ),
    };
  }

  /** Reads every endpoint into memory. */
  async load(): Promise<void> {
    const rows = await this.db.selectFrom('webhook_endpoints').selectAll().execute();
    // Read again when another node changed them: what was deleted there goes here too.
    this.endpoints.clear();
    for (const row of rows) this.remember(this.fromRow(row));
  }

  /** The company's endpoints, oldest first. */
  list(companyId: string): Promise<WebhookEndpointView[]> {
    return Promise.all([...this.endpoints.values()].filter((e) => e.companyId === companyId).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map((e) => this.view(e)));
  }

  /** One endpoint of the company; 404 for an unknown id or another company's. */
  get(companyId: string, id: string): Promise<WebhookEndpointView> {
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
    return { endpoint: await this.view(endpoint), secret: endpoint.secret };
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
    if (switched && changed.enabled) this.onEnabled();
    return { endpoint: await this.view(changed), ...(secret ? { secret } : {}) };
  }

  /** Removes an endpoint with its queue and log. */
  async remove(companyId: string, id: string): Promise<void> {
    this.owned(companyId, id);
    await this.db.deleteFrom('webhook_endpoints').where('id', '=', id).where('company_id', '=', companyId).execute();
    this.endpoints.delete(id);
  }

  /** An endpoint by id, whatever its company (the queue's view). */
  byId(id: string): Endpoint | undefined {
    return this.endpoints.get(id);
  }

  /** The enabled endpoints of a company that subscribe to `type`. */
  subscribers(companyId: string, type: WebhookEventType): Endpoint[] {
    return [...this.endpoints.values()].filter((e) => subscribes(e, companyId, type));
  }

  /** Whether any enabled endpoint of the company subscribes to `type` (asked for every stored event: no allocation). */
  wanted(companyId: string, type: WebhookEventType): boolean {
    for (const e of this.endpoints.values()) if (subscribes(e, companyId, type)) return true;
    return false;
  }

  /** Forgets previous signing secrets whose grace period ended by `expired` (already cleared in the database). */
  forgetExpiredSecrets(expired: string): void {
    for (const endpoint of this.endpoints.values()) {
      if (endpoint.previousSecretExpiresAt && endpoint.previousSecretExpiresAt <= expired) {
        this.endpoints.set(endpoint.id, { ...endpoint, previousSecret: '', previousSecretExpiresAt: null });
      }
    }
  }

  /** One endpoint of the company; 404 for an unknown id or another company's. */
  owned(companyId: string, id: string): Endpoint {
    const endpoint = this.endpoints.get(id);
    if (!endpoint || endpoint.companyId !== companyId) throw Errors.notFound('Webhook endpoint not found');
    return endpoint;
  }

  private async view(endpoint: Endpoint): Promise<WebhookEndpointView> {
    const [counted, last, failed] = await Promise.all([
      this.statements.pending.get({ id: endpoint.id }),
      this.statements.last.get({ id: endpoint.id }),
      this.statements.failures.get({ id: endpoint.id }),
    ]);
    const pending = counted?.n ?? 0;
    return {
      id: endpoint.id,
      url: endpoint.url,
      description: endpoint.description,
      events: endpoint.events,
      enabled: endpoint.enabled,
      disabled_reason: endpoint.disabledReason,
      consecutive_failures: failed?.n ?? 0,
      previous_secret_expires_at: signingSecrets(endpoint).length > 1 ? endpoint.previousSecretExpiresAt : null,
      created_at: endpoint.createdAt,
      updated_at: endpoint.updatedAt,
      pending,
      last_delivery: last ? { status: last.status, at: last.updated_at, status_code: last.last_status_code } : null,
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
      disabledReason: row.disabled_reason,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /**
   * Where to send a leased endpoint's delivery and what to sign it with, from its row as the
   * database has it now (PostgreSQL: another node may have changed the endpoint since this node
   * read it into memory).
   */
  targetOf(row: Pick<WebhookEndpointRow, 'url' | 'secret_sealed' | 'previous_secret_sealed' | 'previous_secret_expires_at'> & { endpoint_id: string }): SendTarget {
    const secret = this.sealer.open(row.secret_sealed) ?? '';
    const previousSecret = (row.previous_secret_sealed && this.sealer.open(row.previous_secret_sealed)) || '';
    const previousSecretExpiresAt = row.previous_secret_sealed ? row.previous_secret_expires_at : null;
    return { id: row.endpoint_id, url: row.url, secrets: signingSecrets({ secret, previousSecret, previousSecretExpiresAt }) };
  }

  /** After the queue disabled an endpoint for failing (committed): nothing new is queued for it. */
  disabledForFailing(id: string, failures: number, at: string): void {
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
}
