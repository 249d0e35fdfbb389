/** Outgoing webhooks: endpoints and their secrets, the signed POST, and the retrying delivery queue. */
export { default as webhooks, WebhookService } from './webhooks.js';
export { default as webhookRoutes } from './webhooks.routes.js';
export { WebhookEndpoints, newWebhookSecret, type Endpoint } from './webhook-endpoints.js';
export { postWebhook, webhookSignature, type PostResult } from './webhook-post.js';
