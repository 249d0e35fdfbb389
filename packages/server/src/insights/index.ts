export { default as insights } from './plugin.js';
export { insightsRoutes, ratingRoutes } from './routes.js';
export { CsatService, DEFAULT_CSAT } from './csat.js';
export { InsightsRecorder, BUCKET_MS } from './recorder.js';
export { ReportStore, percentile } from './reports.js';
export { resolvePeriod, zoneOffset, type Period } from './period.js';
