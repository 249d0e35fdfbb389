export { default as openapi } from './plugin.js';
export { agentAuth, apiKeyAuth, noAuth, visitorAuth, securitySchemes, type SecurityRequirement } from './security.js';
export { tag, tags } from './tags.js';
