/** Whether the server is up: `/livez` and `/readyz` (the `health` plugin) and the documented `GET /health`. */
export { default as health } from './plugin.js';
export { default as healthRoutes } from './status.routes.js';
export { Readiness, type ReadinessChecks } from './readiness.js';
