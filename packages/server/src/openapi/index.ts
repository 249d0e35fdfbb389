/** The OpenAPI 3.1 document of the HTTP API, generated from the routes' own schemas. */
export { default as openapi } from './plugin.js';
// The vocabulary every route's schema uses lives in core (the health routes use it too).
export { agentAuth, apiKeyAuth, noAuth, visitorAuth, securitySchemes, type SecurityRequirement } from '../core/api-security.js';
export { tag, tags } from '../core/api-tags.js';
