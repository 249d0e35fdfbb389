/** Insights: the reports' rollups kept in the chat's writes, visitor ratings (CSAT), and the reports API. docs/insights.md. */
export { default as insights } from './plugin.js';
export { insightsRoutes, ratingRoutes } from './routes.js';
export { CsatService, DEFAULT_CSAT } from './csat.js';
export { InsightsRecorder, BUCKET_MS } from './recorder.js';
export { ReportStore, percentile } from './reports.js';
export { resolvePeriod, zoneOffset, type Period } from './period.js';
