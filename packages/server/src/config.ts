import { resolve } from 'node:path';
import { readEnvironment, type Environment } from './environment.js';

/** The defaults of every variable (`core/environment.ts`), which the defaults below take theirs from. */
const envDefaults = readEnvironment({});

/** Rate and size limits. Defaults suit one shop; the benchmark raises them. */
export interface LimitsConfig {
  /** Largest image upload, in bytes. */
  maxUploadBytes: number;
  /** Component chat API requests per IP per minute. */
  httpRequestsPerMinute: number;
  /** Concurrent visitor WebSocket connections per IP. */
  wsConnectionsPerIp: number;
  /** Sustained visitor frames per second per connection (a burst of twice this is allowed). */
  wsFramesPerSecond: number;
  /** Sustained visitor frames per second shared by all connections of one IP. */
  wsFramesPerSecondPerIp: number;
  /** New visitor connections per minute per IP. */
  wsConnectsPerMinutePerIp: number;
  /** Outgoing bytes buffered for one socket before it counts as a slow consumer and is closed. */
  wsMaxBufferedBytes: number;
  /** Interval of protocol pings; a connection that misses one pong is terminated. */
  wsPingIntervalMs: number;
  /** Login attempts per minute from one IP address. */
  loginPerMinutePerIp: number;
  /** Login attempts per minute for one email address, from anywhere. */
  loginPerMinutePerEmail: number;
  /** Agent API requests per minute per signed-in account. */
  agentRequestsPerMinute: number;
  /** `POST /api/send-lead` requests per minute per IP. */
  sendLeadPerMinute: number;
}

/** Webhook delivery: timeouts, retries and the guard against private targets. */
export interface WebhooksConfig {
  /**
   * Allow endpoints on loopback, private and link-local addresses (`PARLEY_WEBHOOKS_ALLOW_PRIVATE`).
   * Off by default, so a company admin cannot make the server call into its own network.
   */
  allowPrivate: boolean;
  /** The whole request, connect to last byte (`PARLEY_WEBHOOK_TIMEOUT_MS`, default 10 s). */
  timeoutMs: number;
  /** Attempts before a delivery is given up (`PARLEY_WEBHOOK_MAX_ATTEMPTS`, default 15). */
  maxAttempts: number;
  /** Delay before the first retry; it doubles each time up to `retryMaxMs` (±20 % jitter). */
  retryBaseMs: number;
  retryMaxMs: number;
  /** Requests in flight at once, across every endpoint (one per endpoint, to keep its order). */
  concurrency: number;
  /** Days the delivery log keeps finished deliveries (`PARLEY_WEBHOOK_RETENTION_DAYS`, default 30). */
  retentionDays: number;
  /**
   * Deliveries given up in a row after which an endpoint is disabled, its pending deliveries kept
   * until an admin enables it again (`PARLEY_WEBHOOK_DISABLE_AFTER`, default 3; 0 never disables).
   */
  disableAfterFailures: number;
  /**
   * How long a rotated signing secret keeps signing beside the new one, so receivers can be
   * updated without rejecting requests (`PARLEY_WEBHOOK_SECRET_GRACE_HOURS`, default 24 h; 0 stops
   * the old secret at once).
   */
  secretGraceMs: number;
  /**
   * On PostgreSQL, how long a node's lease on an endpoint lasts unless renewed (it is renewed
   * while a request is in flight): a node that died holding one delays that endpoint's
   * deliveries by at most this long before another node takes it over (default 30 s).
   */
  leaseMs: number;
}

export const defaultWebhooks: WebhooksConfig = {
  allowPrivate: envDefaults.PARLEY_WEBHOOKS_ALLOW_PRIVATE,
  timeoutMs: envDefaults.PARLEY_WEBHOOK_TIMEOUT_MS,
  maxAttempts: envDefaults.PARLEY_WEBHOOK_MAX_ATTEMPTS,
  retryBaseMs: 10_000,
  retryMaxMs: 3_600_000,
  concurrency: 8,
  retentionDays: envDefaults.PARLEY_WEBHOOK_RETENTION_DAYS,
  disableAfterFailures: envDefaults.PARLEY_WEBHOOK_DISABLE_AFTER,
  secretGraceMs: envDefaults.PARLEY_WEBHOOK_SECRET_GRACE_HOURS * 3_600_000,
  leaseMs: 30_000,
};

/** Prometheus metrics at `/metrics`, off unless asked for. */
export interface MetricsConfig {
  /** Serve metrics (`PARLEY_METRICS=true`). */
  enabled: boolean;
  /** Bearer token a scraper must send (`PARLEY_METRICS_TOKEN`, at least 16 characters). */
  token?: string;
  /** Serve metrics on this port of the same host instead of the main one (`PARLEY_METRICS_PORT`). */
  port?: number;
}

/** Everything the server needs to start. Built by `loadConfig` from the environment and flags. */
export interface ParleyConfig {
  host: string;
  port: number;
  /** Folder for the SQLite database, uploads and generated secrets. Created if missing. */
  dataDir: string;
  /** Pino level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: string;
  /** Trust `X-Forwarded-*` headers from a reverse proxy in front of the server. */
  trustProxy: boolean;
  /** Flow file for the default company's bot; the demo support flow when unset. */
  flowFile?: string;
  /**
   * PostgreSQL to store in (`DATABASE_URL`, `postgres://…`) instead of `<dataDir>/parley.sqlite`;
   * the data folder still holds generated secrets and uploads.
   */
  databaseUrl?: string;
  /**
   * Redis for what is live across several processes (`REDIS_URL`, `redis://…`): the event bus,
   * presence and the per-address rate limits. Unset, one process keeps them in memory.
   */
  redisUrl?: string;
  /** Starts every Redis key and channel (`PARLEY_REDIS_PREFIX`, default `parley:`). */
  redisPrefix: string;
  /** SQLite `synchronous` pragma. NORMAL survives process crashes; FULL also survives power loss. */
  sqliteSynchronous: 'NORMAL' | 'FULL';
  limits: LimitsConfig;
  /** HS256 secret for agent tokens (`PARLEY_SECRET`); when unset, one is generated once into `<dataDir>/secret`. */
  secret?: string;
  /** Email of the owner created on first start (`PARLEY_ADMIN_EMAIL`, default `admin@parley.local`). */
  adminEmail?: string;
  /** Password of the owner created on first start (`PARLEY_ADMIN_PASSWORD`); generated and printed once when unset. */
  adminPassword?: string;
  /** Lifetime of an agent token, in seconds (`PARLEY_TOKEN_TTL`, default 12 hours). */
  tokenTtlSeconds: number;
  /**
   * Browser origins allowed to open the agent socket besides the server's own and the company's
   * allowed origins (`PARLEY_ADMIN_ORIGINS`, comma-separated), such as a dashboard dev server.
   */
  adminOrigins: string[];
  /**
   * Days after its last activity that a conversation (with its messages, uploads and leads) is
   * deleted (`PARLEY_RETENTION_DAYS`); 0, the default, keeps everything. Conversations waiting
   * for or with a person are kept until they are resolved.
   */
  retentionDays: number;
  /**
   * On PostgreSQL, how often a node that does not run the one-node periodic jobs tries to take
   * over, and the node that runs them checks its lock's connection (default 5 s; see `core/leader.ts`).
   */
  leaderRetryMs?: number;
  webhooks: WebhooksConfig;
  metrics: MetricsConfig;
  /**
   * Confidence (0..1) an article must reach for the bot to answer with it
   * (`PARLEY_KNOWLEDGE_THRESHOLD`; the default is measured by `pnpm eval`, see docs/knowledge.md).
   */
  knowledgeThreshold?: number;
  /**
   * AI settings of the default company from `PARLEY_AI_*`, used until its admins save their own;
   * undefined when none is set (see `ai/settings.ts`).
   */
  ai?: Partial<AiEnvironmentSettings>;
}

export const defaultLimits: LimitsConfig = {
  maxUploadBytes: envDefaults.PARLEY_MAX_UPLOAD_BYTES,
  httpRequestsPerMinute: envDefaults.PARLEY_HTTP_REQUESTS_PER_MINUTE,
  wsConnectionsPerIp: envDefaults.PARLEY_WS_CONNECTIONS_PER_IP,
  wsFramesPerSecond: envDefaults.PARLEY_WS_FRAMES_PER_SECOND,
  wsFramesPerSecondPerIp: envDefaults.PARLEY_WS_FRAMES_PER_SECOND_PER_IP,
  wsConnectsPerMinutePerIp: envDefaults.PARLEY_WS_CONNECTS_PER_MINUTE_PER_IP,
  wsMaxBufferedBytes: 1024 * 1024,
  wsPingIntervalMs: 30_000,
  loginPerMinutePerIp: 20,
  loginPerMinutePerEmail: 5,
  agentRequestsPerMinute: 600,
  sendLeadPerMinute: envDefaults.PARLEY_SEND_LEAD_PER_MINUTE,
};

/** Options a caller may pass: anything left out takes its default. */
export type ParleyOptions = Partial<Omit<ParleyConfig, 'limits' | 'webhooks'>> & { limits?: Partial<LimitsConfig>; webhooks?: Partial<WebhooksConfig> };

/**
 * Builds the configuration: the environment read through its schema (`core/environment.ts`: every
 * variable with its type, default and description; a bad value throws an error naming it), then
 * `overrides` (CLI flags, or a program embedding the server).
 */
export function loadConfig(overrides: ParleyOptions = {}, env: Record<string, string | undefined> = process.env): ParleyConfig {
  const e = readEnvironment(env);
  const check = (name: string, value: string | undefined, min: number) => {
    if (value !== undefined && value.length < min) throw new Error(`${name} must be at least ${min} characters long`);
  };
  check('PARLEY_SECRET', overrides.secret, 32);
  check('PARLEY_ADMIN_PASSWORD', overrides.adminPassword, 8);
  check('PARLEY_METRICS_TOKEN', overrides.metrics?.token, 16);
  const synchronous = (overrides.sqliteSynchronous ?? e.PARLEY_SQLITE_SYNCHRONOUS).toUpperCase();
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') throw new Error(`PARLEY_SQLITE_SYNCHRONOUS must be one of NORMAL, FULL, got "${synchronous}"`);
  const flowFile = overrides.flowFile ?? e.PARLEY_FLOW;
  const secret = overrides.secret ?? e.PARLEY_SECRET;
  const adminEmail = overrides.adminEmail ?? e.PARLEY_ADMIN_EMAIL;
  const adminPassword = overrides.adminPassword ?? e.PARLEY_ADMIN_PASSWORD;
  const metricsToken = overrides.metrics?.token ?? e.PARLEY_METRICS_TOKEN;
  const metricsPort = overrides.metrics?.port ?? e.PARLEY_METRICS_PORT;
  const knowledgeThreshold = overrides.knowledgeThreshold ?? e.PARLEY_KNOWLEDGE_THRESHOLD;
  const databaseUrl = overrides.databaseUrl ?? e.DATABASE_URL;
  const redisUrl = overrides.redisUrl ?? e.REDIS_URL;
  const ai = overrides.ai ?? aiSettingsFrom(e);
  return {
    host: overrides.host ?? e.HOST,
    port: overrides.port ?? e.PORT,
    dataDir: resolve(overrides.dataDir ?? e.DATA_DIR),
    logLevel: overrides.logLevel ?? e.LOG_LEVEL,
    trustProxy: overrides.trustProxy ?? e.PARLEY_TRUST_PROXY,
    ...(flowFile ? { flowFile: resolve(flowFile) } : {}),
    sqliteSynchronous: synchronous,
    ...(databaseUrl ? { databaseUrl } : {}),
    ...(redisUrl ? { redisUrl } : {}),
    redisPrefix: overrides.redisPrefix ?? e.PARLEY_REDIS_PREFIX,
    ...(secret ? { secret } : {}),
    ...(adminEmail ? { adminEmail: adminEmail.trim().toLowerCase() } : {}),
    ...(adminPassword ? { adminPassword } : {}),
    tokenTtlSeconds: overrides.tokenTtlSeconds ?? e.PARLEY_TOKEN_TTL,
    adminOrigins: overrides.adminOrigins ?? e.PARLEY_ADMIN_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    limits: {
      ...defaultLimits,
      maxUploadBytes: e.PARLEY_MAX_UPLOAD_BYTES,
      httpRequestsPerMinute: e.PARLEY_HTTP_REQUESTS_PER_MINUTE,
      sendLeadPerMinute: e.PARLEY_SEND_LEAD_PER_MINUTE,
      wsConnectionsPerIp: e.PARLEY_WS_CONNECTIONS_PER_IP,
      wsFramesPerSecond: e.PARLEY_WS_FRAMES_PER_SECOND,
      wsFramesPerSecondPerIp: e.PARLEY_WS_FRAMES_PER_SECOND_PER_IP,
      wsConnectsPerMinutePerIp: e.PARLEY_WS_CONNECTS_PER_MINUTE_PER_IP,
      ...overrides.limits,
    },
    retentionDays: overrides.retentionDays ?? e.PARLEY_RETENTION_DAYS,
    ...(overrides.leaderRetryMs !== undefined ? { leaderRetryMs: overrides.leaderRetryMs } : {}),
    webhooks: {
      ...defaultWebhooks,
      allowPrivate: e.PARLEY_WEBHOOKS_ALLOW_PRIVATE,
      timeoutMs: e.PARLEY_WEBHOOK_TIMEOUT_MS,
      maxAttempts: e.PARLEY_WEBHOOK_MAX_ATTEMPTS,
      retentionDays: e.PARLEY_WEBHOOK_RETENTION_DAYS,
      disableAfterFailures: e.PARLEY_WEBHOOK_DISABLE_AFTER,
      secretGraceMs: e.PARLEY_WEBHOOK_SECRET_GRACE_HOURS * 3_600_000,
      ...overrides.webhooks,
    },
    metrics: {
      enabled: overrides.metrics?.enabled ?? e.PARLEY_METRICS,
      ...(metricsToken ? { token: metricsToken } : {}),
      ...(metricsPort !== undefined ? { port: metricsPort } : {}),
    },
    ...(knowledgeThreshold !== undefined ? { knowledgeThreshold } : {}),
    ...(ai ? { ai } : {}),
  };
}

/**
 * The AI settings the environment can set for the default company: the same names as the AI
 * capability's settings (`ai/settings.ts`), declared here so configuration stays below it.
 */
export interface AiEnvironmentSettings {
  enabled: boolean;
  baseUrl: string;
  apiKey: string;
  model: string;
  systemPrompt: string;
  temperature: number;
  maxTokens: number;
  historyWindow: number;
  timeoutMs: number;
}

/**
 * The default company's AI settings from `PARLEY_AI_*`: undefined when none is set, enabled once
 * any is (unless `PARLEY_AI_ENABLED=false`).
 */
function aiSettingsFrom(e: Environment): Partial<AiEnvironmentSettings> | undefined {
  const settings: Partial<AiEnvironmentSettings> = {};
  if (e.PARLEY_AI_BASE_URL) settings.baseUrl = e.PARLEY_AI_BASE_URL;
  if (e.PARLEY_AI_API_KEY) settings.apiKey = e.PARLEY_AI_API_KEY;
  if (e.PARLEY_AI_MODEL) settings.model = e.PARLEY_AI_MODEL;
  if (e.PARLEY_AI_SYSTEM_PROMPT) settings.systemPrompt = e.PARLEY_AI_SYSTEM_PROMPT;
  if (e.PARLEY_AI_TEMPERATURE !== undefined) settings.temperature = e.PARLEY_AI_TEMPERATURE;
  if (e.PARLEY_AI_MAX_TOKENS !== undefined) settings.maxTokens = e.PARLEY_AI_MAX_TOKENS;
  if (e.PARLEY_AI_HISTORY_WINDOW !== undefined) settings.historyWindow = e.PARLEY_AI_HISTORY_WINDOW;
  if (e.PARLEY_AI_TIMEOUT_MS !== undefined) settings.timeoutMs = e.PARLEY_AI_TIMEOUT_MS;
  if (Object.keys(settings).length === 0 && e.PARLEY_AI_ENABLED === undefined) return undefined;
  settings.enabled = e.PARLEY_AI_ENABLED ?? true;
  return settings;
}
