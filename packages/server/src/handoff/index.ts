/** Hand-off between the bot and people: requests, waiting, claims, resolving, and an external bot's transfer API. */
export { default as handoffPolicy, HandoffPolicy } from './policy.js';
export { default as handoff, HandoffService, HANDOFF_BUTTON_LABEL, type TransferResult } from './handoff.js';
export { default as transferRoutes } from './transfer.routes.js';
