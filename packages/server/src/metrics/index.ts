/** Opt-in Prometheus metrics (`PARLEY_METRICS=true`), fed by `core/probes.ts`. */
export { default as metrics, bearerMatches } from './plugin.js';
export { ParleyMetrics, fileBytes, type MetricSources } from './registry.js';
