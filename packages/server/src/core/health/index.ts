export { default as health } from './plugin.js';
export { Readiness, type ReadinessChecks } from './readiness.js';
