import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';

/** `GET /health`: answered only after the database answered a query; names the running version. */
export const HealthResponse = Strict({ status: Type.Literal('ok'), version: Type.String({ description: 'The server package version, such as 0.1.0' }) });
export type HealthResponse = Static<typeof HealthResponse>;

/** `GET /livez`: the process runs its event loop (nothing else is checked, so it never restarts a busy server). */
export const LivezResponse = Strict({ status: Type.Literal('ok') });
export type LivezResponse = Static<typeof LivezResponse>;

/**
 * `GET /readyz`: whether this node should get traffic. 200 `ready` only when the database answers,
 * every migration ran and (with Redis) the bus is subscribed; 503 `not_ready` with the reasons
 * otherwise (also while shutting down).
 */
export const ReadyzResponse = Strict({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Strict({
    database: Type.Boolean({ description: 'The database answered a query' }),
    migrations: Type.Boolean({ description: 'Every migration this version knows has run' }),
    shutting_down: Type.Boolean({ description: 'The server is draining before it stops' }),
    redis: Type.Optional(Type.Boolean({ description: 'The Redis subscription is up (only with REDIS_URL): not ready while Redis is away' })),
  }),
});
export type ReadyzResponse = Static<typeof ReadyzResponse>;
