/** The bot builder: drafts, versions and publishing of a company's flow from the dashboard, and its HTTP steps. */
export { default as flowAdminPlugin } from './plugin.js';
export { default as flowAdminRoutes } from './routes.js';
export { FlowAdmin, type PublishResult } from './service.js';
export { FlowAdminStore, type FlowDraft } from './store.js';
export { maskSecrets, openHeader, sealSecrets } from './secrets.js';
