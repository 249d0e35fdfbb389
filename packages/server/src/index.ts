export { buildServer, startServer } from './server.js';
export { loadConfig, defaultLimits, type ParleyConfig, type ParleyOptions, type LimitsConfig } from './config.js';
export { AppError, Errors } from './errors.js';
export { parseFlow, loadFlowFile, FlowError } from './flows/load.js';
export type { EventBus, BusEvent } from './core/bus.js';
