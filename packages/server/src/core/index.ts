/*
 * The platform's own plugins, below every capability: the error handler, the event bus, the
 * outbox of in-transaction events, agents' presence, and health. They import no capability.
 */
export { default as errorHandler, describeError } from './error-handler.js';
export { MemoryBus, topics, type BusEvent, type BusHandler, type EventBus } from './bus.js';
export { default as bus } from './bus-plugin.js';
export { default as outbox, Outbox, type OutboxEvent } from './outbox.js';
export { PresenceTracker } from './presence.js';
export { default as presence } from './presence-plugin.js';
export { health, healthRoutes, Readiness, type ReadinessChecks } from './health/index.js';
export { default as secrets } from './secrets.js';
export { Leader, LeaderJob, PostgresLeader, SoleLeader } from './leader.js';
export { default as leader } from './leader-plugin.js';
