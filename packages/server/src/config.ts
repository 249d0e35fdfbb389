import { resolve } from 'node:path';

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
}

export const defaultWebhooks: WebhooksConfig = {
  allowPrivate: false,
  timeoutMs: 10_000,
  maxAttempts: 15,
  retryBaseMs: 10_000,
  retryMaxMs: 3_600_000,
  concurrency: 8,
  retentionDays: 30,
  disableAfterFailures: 3,
  secretGraceMs: 24 * 3_600_000,
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
  webhooks: WebhooksConfig;
  metrics: MetricsConfig;
  /**
   * Confidence (0..1) an article must reach for the bot to answer with it
   * (`PARLEY_KNOWLEDGE_THRESHOLD`; the default is measured by `pnpm eval`, see docs/knowledge.md).
   */
  knowledgeThreshold?: number;
}

export const defaultLimits: LimitsConfig = {
  maxUploadBytes: 5 * 1024 * 1024,
  httpRequestsPerMinute: 300,
  wsConnectionsPerIp: 50,
  wsFramesPerSecond: 20,
  wsFramesPerSecondPerIp: 100,
  wsConnectsPerMinutePerIp: 120,
  wsMaxBufferedBytes: 1024 * 1024,
  wsPingIntervalMs: 30_000,
  loginPerMinutePerIp: 20,
  loginPerMinutePerEmail: 5,
  agentRequestsPerMinute: 600,
  sendLeadPerMinute: 30,
};

/** Options a caller may pass: anything left out takes its default. */
export type ParleyOptions = Partial<Omit<ParleyConfig, 'limits' | 'webhooks'>> & { limits?: Partial<LimitsConfig>; webhooks?: Partial<WebhooksConfig> };

function optional<K extends string>(key: K, value: number | undefined): Partial<Record<K, number>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, number>);
}

function hoursAsMs<K extends string>(key: K, hours: number | undefined): Partial<Record<K, number>> {
  return optional(key, hours === undefined ? undefined : hours * 3_600_000);
}

function intFrom(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${value}"`);
  return n;
}

/**
 * Builds the configuration: defaults, then environment variables (`PORT`, `HOST`, `DATA_DIR`,
 * `LOG_LEVEL`, `PARLEY_FLOW`, `PARLEY_TRUST_PROXY`, `PARLEY_SQLITE_SYNCHRONOUS`,
 * `PARLEY_MAX_UPLOAD_BYTES`, `PARLEY_WS_CONNECTIONS_PER_IP`, `PARLEY_WS_FRAMES_PER_SECOND`,
 * `PARLEY_WS_FRAMES_PER_SECOND_PER_IP`, `PARLEY_WS_CONNECTS_PER_MINUTE_PER_IP`,
 * `PARLEY_HTTP_REQUESTS_PER_MINUTE`, `PARLEY_SEND_LEAD_PER_MINUTE`, and for agents `PARLEY_SECRET`, `PARLEY_ADMIN_EMAIL`,
 * `PARLEY_ADMIN_PASSWORD`, `PARLEY_TOKEN_TTL`, `PARLEY_ADMIN_ORIGINS`, `PARLEY_RETENTION_DAYS`, and for webhooks
 * `PARLEY_WEBHOOKS_ALLOW_PRIVATE`, `PARLEY_WEBHOOK_TIMEOUT_MS`, `PARLEY_WEBHOOK_MAX_ATTEMPTS`,
 * `PARLEY_WEBHOOK_RETENTION_DAYS`, `PARLEY_WEBHOOK_DISABLE_AFTER`, `PARLEY_WEBHOOK_SECRET_GRACE_HOURS`, and for
 * metrics `PARLEY_METRICS`, `PARLEY_METRICS_TOKEN`, `PARLEY_METRICS_PORT`), then `overrides`.
 */
export function loadConfig(overrides: ParleyOptions = {}, env: NodeJS.ProcessEnv = process.env): ParleyConfig {
  const port = overrides.port ?? intFrom(env.PORT, 'PORT') ?? 3000;
  const synchronous = (overrides.sqliteSynchronous ?? env.PARLEY_SQLITE_SYNCHRONOUS ?? 'NORMAL').toUpperCase();
  if (synchronous !== 'NORMAL' && synchronous !== 'FULL') {
    throw new Error(`PARLEY_SQLITE_SYNCHRONOUS must be NORMAL or FULL, got "${synchronous}"`);
  }
  const fromEnv: Partial<LimitsConfig> = {};
  const envLimits: Array<[keyof LimitsConfig, string]> = [
    ['maxUploadBytes', 'PARLEY_MAX_UPLOAD_BYTES'],
    ['wsConnectionsPerIp', 'PARLEY_WS_CONNECTIONS_PER_IP'],
    ['wsFramesPerSecond', 'PARLEY_WS_FRAMES_PER_SECOND'],
    ['wsFramesPerSecondPerIp', 'PARLEY_WS_FRAMES_PER_SECOND_PER_IP'],
    ['wsConnectsPerMinutePerIp', 'PARLEY_WS_CONNECTS_PER_MINUTE_PER_IP'],
    ['httpRequestsPerMinute', 'PARLEY_HTTP_REQUESTS_PER_MINUTE'],
    ['sendLeadPerMinute', 'PARLEY_SEND_LEAD_PER_MINUTE'],
  ];
  for (const [key, name] of envLimits) {
    const value = intFrom(env[name], name);
    if (value !== undefined) fromEnv[key] = value;
  }
  const flowFile = overrides.flowFile ?? env.PARLEY_FLOW;
  const secret = overrides.secret ?? (env.PARLEY_SECRET || undefined);
  if (secret !== undefined && secret.length < 32) throw new Error('PARLEY_SECRET must be at least 32 characters long');
  const adminEmail = overrides.adminEmail ?? (env.PARLEY_ADMIN_EMAIL || undefined);
  const adminPassword = overrides.adminPassword ?? (env.PARLEY_ADMIN_PASSWORD || undefined);
  if (adminPassword !== undefined && adminPassword.length < 8) throw new Error('PARLEY_ADMIN_PASSWORD must be at least 8 characters long');
  const metricsToken = overrides.metrics?.token ?? (env.PARLEY_METRICS_TOKEN || undefined);
  if (metricsToken !== undefined && metricsToken.length < 16) throw new Error('PARLEY_METRICS_TOKEN must be at least 16 characters long');
  const metricsPort = overrides.metrics?.port ?? intFrom(env.PARLEY_METRICS_PORT, 'PARLEY_METRICS_PORT');
  return {
    host: overrides.host ?? env.HOST ?? '127.0.0.1',
    port,
    dataDir: resolve(overrides.dataDir ?? env.DATA_DIR ?? 'data'),
    logLevel: overrides.logLevel ?? env.LOG_LEVEL ?? 'info',
    trustProxy: overrides.trustProxy ?? env.PARLEY_TRUST_PROXY === 'true',
    ...(flowFile ? { flowFile: resolve(flowFile) } : {}),
    sqliteSynchronous: synchronous,
    ...(secret ? { secret } : {}),
    ...(adminEmail ? { adminEmail: adminEmail.trim().toLowerCase() } : {}),
    ...(adminPassword ? { adminPassword } : {}),
    tokenTtlSeconds: overrides.tokenTtlSeconds ?? intFrom(env.PARLEY_TOKEN_TTL, 'PARLEY_TOKEN_TTL') ?? 12 * 3600,
    adminOrigins: overrides.adminOrigins ?? (env.PARLEY_ADMIN_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    limits: { ...defaultLimits, ...fromEnv, ...overrides.limits },
    retentionDays: overrides.retentionDays ?? intFrom(env.PARLEY_RETENTION_DAYS, 'PARLEY_RETENTION_DAYS') ?? 0,
    webhooks: {
      ...defaultWebhooks,
      ...(env.PARLEY_WEBHOOKS_ALLOW_PRIVATE !== undefined ? { allowPrivate: env.PARLEY_WEBHOOKS_ALLOW_PRIVATE === 'true' } : {}),
      ...optional('timeoutMs', intFrom(env.PARLEY_WEBHOOK_TIMEOUT_MS, 'PARLEY_WEBHOOK_TIMEOUT_MS')),
      ...optional('maxAttempts', intFrom(env.PARLEY_WEBHOOK_MAX_ATTEMPTS, 'PARLEY_WEBHOOK_MAX_ATTEMPTS')),
      ...optional('retentionDays', intFrom(env.PARLEY_WEBHOOK_RETENTION_DAYS, 'PARLEY_WEBHOOK_RETENTION_DAYS')),
      ...optional('disableAfterFailures', intFrom(env.PARLEY_WEBHOOK_DISABLE_AFTER, 'PARLEY_WEBHOOK_DISABLE_AFTER')),
      ...hoursAsMs('secretGraceMs', intFrom(env.PARLEY_WEBHOOK_SECRET_GRACE_HOURS, 'PARLEY_WEBHOOK_SECRET_GRACE_HOURS')),
      ...overrides.webhooks,
    },
    metrics: {
      enabled: overrides.metrics?.enabled ?? env.PARLEY_METRICS === 'true',
      ...(metricsToken ? { token: metricsToken } : {}),
      ...(metricsPort !== undefined ? { port: metricsPort } : {}),
    },
    ...optional('knowledgeThreshold', overrides.knowledgeThreshold ?? fractionFrom(env.PARLEY_KNOWLEDGE_THRESHOLD, 'PARLEY_KNOWLEDGE_THRESHOLD')),
  };
}

/** A number from 0 to 1 in an environment variable, or undefined when unset. */
function fractionFrom(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new Error(`${name} must be a number from 0 to 1`);
  return n;
}
