export { default as metrics, bearerMatches } from './plugin.js';
export { ParleyMetrics, fileBytes, type MetricSources } from './registry.js';
