/*
 * Scripted bot flows: loading and checking a flow file, the pure engine that runs it, each
 * company's published flow, and (in builder/) drafts, versions and publishing from the dashboard.
 */
export { default as flows, FlowRegistry, type StoredFlow } from './flows.plugin.js';
export { FlowError, loadFlowFile, parseFlow, successors } from './load.js';
export { initialState, type FlowContext, type FlowState, type FlowTurn, type FunnelMemory } from './engine.js';
export { demoFlowPath } from './demo.js';
export { flowAdminPlugin, flowAdminRoutes, FlowAdmin, type PublishResult } from './builder/index.js';
