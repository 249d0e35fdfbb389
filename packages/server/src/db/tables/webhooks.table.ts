import type { Generated, Insertable, Selectable } from 'kysely';
import type { WebhookDeliveryStatus, WebhookPayload } from '@parley/protocol';

/** A company's webhook endpoint. The signing secret is sealed (see `lib/sealed.ts`). */
export interface WebhookEndpointsTable {
  id: string;
  company_id: string;
  url: string;
  description: Generated<string>;
  /** JSON array of subscribed event types. */
  events: string;
  secret_sealed: string;
  enabled: Generated<number>;
  /** Deliveries given up in a row; a success resets it. */
  consecutive_failures: Generated<number>;
  /** Why it is disabled: 'failing' when that count reached the limit, null otherwise. */
  disabled_reason: 'failing' | null;
  /** The secret before the last rotation (sealed), still signing until `previous_secret_expires_at`. */
  previous_secret_sealed: string | null;
  previous_secret_expires_at: string | null;
  /** The node sending to it now (PostgreSQL, several nodes); null when none. Never set on SQLite. */
  leased_by: string | null;
  /** Until when that node holds it, epoch ms by the database's clock; another node may take it after. */
  lease_until: number | null;
  created_at: string;
  updated_at: string;
}
export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;
export type NewWebhookEndpointRow = Insertable<WebhookEndpointsTable>;

/** One event as it is sent to every subscribed endpoint (`payload` is the exact JSON body). */
export interface WebhookEventsTable {
  id: string;
  company_id: string;
  type: WebhookPayload['type'];
  payload: string;
  created_at: string;
}
export type WebhookEventRow = Selectable<WebhookEventsTable>;

/** One event on its way to one endpoint: the persisted delivery queue. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: string;
  event_id: string;
  company_id: string;
  status: Generated<WebhookDeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  last_duration_ms: number | null;
  created_at: string;
  updated_at: string;
}
export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;

/** The log of delivery attempts. */
export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  company_id: string;
  attempt: number;
  status_code: number | null;
  error: string | null;
  response_body: string | null;
  duration_ms: number;
  created_at: string;
}
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;
