/** Leads collected by flows, forms and sites, and their exports. */
export { default as leads, LeadRepository, toLeadView, type Lead, type LeadFilter } from './leads.js';
export { default as leadRoutes } from './leads.routes.js';
