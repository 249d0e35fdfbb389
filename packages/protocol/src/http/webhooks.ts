import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';

/*
 * Webhooks: a company's endpoints, the events they subscribe to, and the log of deliveries.
 * docs/webhooks.md shows the body, the signature and how to check it.
 */

/** The events an endpoint can subscribe to. `webhook.test` is only sent by "Send test event". */
export const WebhookEventType = Type.Union([
  Type.Literal('lead.created'),
  Type.Literal('conversation.handoff'),
  Type.Literal('conversation.resolved'),
  Type.Literal('message.created'),
  Type.Literal('conversation.rated'),
]);
export type WebhookEventType = Static<typeof WebhookEventType>;

/** Every subscribable event type, in the order the dashboard lists them. */
export const WEBHOOK_EVENT_TYPES: readonly WebhookEventType[] = [
  'lead.created',
  'conversation.handoff',
  'conversation.resolved',
  'message.created',
  'conversation.rated',
];

/**
 * The JSON body of every webhook request. `id` is unique per event (a redelivery keeps it, so a
 * receiver can ignore repeats); `data` depends on `type`.
 */
export const WebhookPayload = Strict({
  id: Type.String(),
  type: Type.Union([WebhookEventType, Type.Literal('webhook.test')]),
  created_at: Type.String(),
  company_id: Type.String(),
  data: Type.Record(Type.String(), Type.Unknown()),
});
export type WebhookPayload = Static<typeof WebhookPayload>;

/** An endpoint URL: http or https, at most 2048 characters. */
export const WebhookUrl = Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 2048 });

/** An endpoint as admins see it (its secret only appears once, when made or rotated). */
export const WebhookEndpointView = Strict({
  id: Type.String(),
  url: Type.String(),
  description: Type.String(),
  events: Type.Array(WebhookEventType),
  enabled: Type.Boolean(),
  /**
   * Why it is disabled: 'failing' when Parley disabled it after `consecutive_failures` deliveries
   * in a row were given up (its pending deliveries wait for it to be enabled again); null when it
   * is enabled or an admin disabled it.
   */
  disabled_reason: Type.Union([Type.Literal('failing'), Type.Null()]),
  /** Deliveries given up in a row; any success, or enabling or disabling it, resets it. */
  consecutive_failures: Type.Integer({ minimum: 0 }),
  /**
   * After a rotation: until when the previous secret still signs requests beside the new one
   * (two `v1=` signatures); null when only the current secret signs. The secret itself is never shown again.
   */
  previous_secret_expires_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
  /** Deliveries waiting to be sent or retried. */
  pending: Type.Integer({ minimum: 0 }),
  /** The newest finished delivery's outcome, if any. */
  last_delivery: Type.Union([
    Strict({ status: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]), at: Type.String(), status_code: Type.Union([Type.Integer(), Type.Null()]) }),
    Type.Null(),
  ]),
});
export type WebhookEndpointView = Static<typeof WebhookEndpointView>;

/** `POST /api/webhooks` (admin). */
export const CreateWebhookRequest = Strict({
  url: WebhookUrl,
  events: Type.Array(WebhookEventType, { minItems: 1, maxItems: 4, uniqueItems: true }),
  description: Type.Optional(Type.String({ maxLength: 200 })),
  enabled: Type.Optional(Type.Boolean()),
});
export type CreateWebhookRequest = Static<typeof CreateWebhookRequest>;

/**
 * `PATCH /api/webhooks/:id` (admin): change it, or make a new secret. With `rotate_secret` the
 * secret it replaces keeps signing beside the new one for a grace period (24 h by default);
 * `expire_previous_secret` stops the previous secret at once, with a rotation or on its own.
 */
export const UpdateWebhookRequest = Strict({
  url: Type.Optional(WebhookUrl),
  events: Type.Optional(Type.Array(WebhookEventType, { minItems: 1, maxItems: 4, uniqueItems: true })),
  description: Type.Optional(Type.String({ maxLength: 200 })),
  enabled: Type.Optional(Type.Boolean()),
  rotate_secret: Type.Optional(Type.Boolean()),
  expire_previous_secret: Type.Optional(Type.Boolean()),
});
export type UpdateWebhookRequest = Static<typeof UpdateWebhookRequest>;

/** An endpoint, with its signing secret right after it was made or rotated (shown only then). */
export const WebhookEndpointResponse = Strict({ endpoint: WebhookEndpointView, secret: Type.Optional(Type.String()) });
export type WebhookEndpointResponse = Static<typeof WebhookEndpointResponse>;

/** `GET /api/webhooks`. */
export const WebhookEndpointList = Strict({ endpoints: Type.Array(WebhookEndpointView) });
export type WebhookEndpointList = Static<typeof WebhookEndpointList>;

/** Where a delivery is: waiting (or between retries), delivered, or given up after the last retry. */
export const WebhookDeliveryStatus = Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('failed')]);
export type WebhookDeliveryStatus = Static<typeof WebhookDeliveryStatus>;

/** One try at delivering an event. */
export const WebhookAttemptView = Strict({
  attempt: Type.Integer({ minimum: 1 }),
  /** The receiver's HTTP status, or null when no answer came (refused, timed out, blocked). */
  status_code: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  /** The start of the receiver's answer, for debugging (at most 1 KB). */
  response_body: Type.Union([Type.String(), Type.Null()]),
  duration_ms: Type.Integer({ minimum: 0 }),
  created_at: Type.String(),
});
export type WebhookAttemptView = Static<typeof WebhookAttemptView>;

/** One event on its way to one endpoint. */
export const WebhookDeliveryView = Strict({
  id: Type.String(),
  endpoint_id: Type.String(),
  event_id: Type.String(),
  event_type: Type.String(),
  status: WebhookDeliveryStatus,
  attempts: Type.Integer({ minimum: 0 }),
  next_attempt_at: Type.Union([Type.String(), Type.Null()]),
  last_status_code: Type.Union([Type.Integer(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  last_duration_ms: Type.Union([Type.Integer(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type WebhookDeliveryView = Static<typeof WebhookDeliveryView>;

/** `GET /api/webhooks/:id/deliveries`: newest first; `before` pages by delivery id. */
export const WebhookDeliveryListQuery = Strict({
  status: Type.Optional(WebhookDeliveryStatus),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  before: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
});
export type WebhookDeliveryListQuery = Static<typeof WebhookDeliveryListQuery>;

/** Answer to `GET /api/webhooks/:id/deliveries`. */
export const WebhookDeliveryList = Strict({ deliveries: Type.Array(WebhookDeliveryView) });
export type WebhookDeliveryList = Static<typeof WebhookDeliveryList>;

/** `GET /api/webhooks/:id/deliveries/:deliveryId`: the delivery, every attempt, and the exact body sent. */
export const WebhookDeliveryDetail = Strict({
  delivery: WebhookDeliveryView,
  attempts: Type.Array(WebhookAttemptView),
  payload: WebhookPayload,
});
export type WebhookDeliveryDetail = Static<typeof WebhookDeliveryDetail>;

/** Answer to redeliver and to "send test event": the new delivery (after its first attempt, when it came quickly). */
export const WebhookDeliveryResponse = Strict({ delivery: WebhookDeliveryView });
export type WebhookDeliveryResponse = Static<typeof WebhookDeliveryResponse>;
