/** Verified visitor identity: a site's signed claims about who the visitor is, and the settings for it. */
export { default as identity, IdentityService, newIdentitySecret, toVisitorIdentity, type CheckedIdentity, type IdentifyOutcome } from './identity.js';
export { default as identityRoutes } from './identity.routes.js';
