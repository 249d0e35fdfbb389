export { default as flowAdminPlugin } from './plugin.js';
export { default as flowAdminRoutes } from './routes.js';
export { FlowAdmin, type PublishResult } from './service.js';
export { FlowAdminStore, type FlowDraft } from './store.js';
export { maskSecrets, openHeader, sealSecrets } from './secrets.js';
