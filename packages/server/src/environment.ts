import { defaultAiSettings } from './ai/settings.js';
import { defaultLimits, defaultWebhooks } from './config.js';
import { DEFAULT_THRESHOLD } from './knowledge/retriever.js';

/** One environment variable the server reads. */
export interface EnvVar {
  name: string;
  /** What it does, in one line. */
  description: string;
  /** The value used when it is unset, as written in `.env.example` (empty: nothing). */
  default: string;
}

/** A group of variables, as `.env.example` shows them. */
export interface EnvSection {
  title: string;
  vars: EnvVar[];
}

/**
 * Every environment variable the server reads (`loadConfig` in `config.ts` and
 * `aiSettingsFromEnv` in `ai/settings.ts`), with its default: the source `.env.example` is
 * generated from (`pnpm --filter @parley/server env-example`); a test keeps the three equal.
 */
export const ENVIRONMENT: EnvSection[] = [
  {
    title: 'Server',
    vars: [
      { name: 'PORT', description: 'Port to listen on', default: '3000' },
      { name: 'HOST', description: 'Address to bind; 0.0.0.0 accepts connections from other machines (and in a container)', default: '127.0.0.1' },
      { name: 'DATA_DIR', description: 'Folder for the SQLite database, uploads and generated secrets', default: './data' },
      { name: 'LOG_LEVEL', description: 'fatal, error, warn, info, debug, trace or silent', default: 'info' },
      { name: 'PARLEY_FLOW', description: "Flow file for the default company's bot (the demo flow when unset)", default: '' },
      { name: 'PARLEY_TRUST_PROXY', description: 'Trust X-Forwarded-* headers from a reverse proxy in front of the server', default: 'false' },
      { name: 'PARLEY_SQLITE_SYNCHRONOUS', description: 'NORMAL survives process crashes; FULL also survives power loss, at some write latency', default: 'NORMAL' },
      { name: 'PARLEY_RETENTION_DAYS', description: 'Delete conversations idle for longer than this many days (0 keeps everything)', default: '0' },
    ],
  },
  {
    title: 'Dashboard accounts',
    vars: [
      { name: 'PARLEY_SECRET', description: 'Signs dashboard tokens and seals stored keys (32+ characters); generated into DATA_DIR/secret when unset', default: '' },
      { name: 'PARLEY_ADMIN_EMAIL', description: 'Email of the owner account made on first start', default: 'admin@parley.local' },
      { name: 'PARLEY_ADMIN_PASSWORD', description: 'Its password (8+ characters); generated and printed once when unset', default: '' },
      { name: 'PARLEY_TOKEN_TTL', description: 'Dashboard sign-in lifetime, in seconds', default: String(12 * 3600) },
      { name: 'PARLEY_ADMIN_ORIGINS', description: 'Comma-separated extra browser origins allowed on the agent socket', default: '' },
    ],
  },
  {
    title: 'Limits',
    vars: [
      { name: 'PARLEY_MAX_UPLOAD_BYTES', description: 'Largest image upload, in bytes', default: String(defaultLimits.maxUploadBytes) },
      { name: 'PARLEY_HTTP_REQUESTS_PER_MINUTE', description: 'Chat API requests per IP per minute', default: String(defaultLimits.httpRequestsPerMinute) },
      { name: 'PARLEY_SEND_LEAD_PER_MINUTE', description: 'POST /api/send-lead requests per IP per minute', default: String(defaultLimits.sendLeadPerMinute) },
      { name: 'PARLEY_WS_CONNECTIONS_PER_IP', description: 'Concurrent visitor sockets per IP', default: String(defaultLimits.wsConnectionsPerIp) },
      { name: 'PARLEY_WS_FRAMES_PER_SECOND', description: 'Sustained visitor frames per second per socket', default: String(defaultLimits.wsFramesPerSecond) },
      { name: 'PARLEY_WS_FRAMES_PER_SECOND_PER_IP', description: 'Sustained visitor frames per second shared by all sockets of an IP', default: String(defaultLimits.wsFramesPerSecondPerIp) },
      { name: 'PARLEY_WS_CONNECTS_PER_MINUTE_PER_IP', description: 'New visitor sockets per IP per minute', default: String(defaultLimits.wsConnectsPerMinutePerIp) },
    ],
  },
  {
    title: 'AI replies for the default company (docs/ai.md)',
    vars: [
      { name: 'PARLEY_AI_ENABLED', description: 'Switch AI replies on or off; on by default once a model or key is set', default: String(defaultAiSettings.enabled) },
      { name: 'PARLEY_AI_BASE_URL', description: 'OpenAI-compatible API address', default: defaultAiSettings.baseUrl },
      { name: 'PARLEY_AI_API_KEY', description: 'API key of the provider', default: '' },
      { name: 'PARLEY_AI_MODEL', description: 'Model name', default: defaultAiSettings.model },
      { name: 'PARLEY_AI_TEMPERATURE', description: 'Sampling temperature', default: String(defaultAiSettings.temperature) },
      { name: 'PARLEY_AI_MAX_TOKENS', description: 'Longest answer, in tokens', default: String(defaultAiSettings.maxTokens) },
      { name: 'PARLEY_AI_SYSTEM_PROMPT', description: 'Extra instructions for the model', default: '' },
      { name: 'PARLEY_AI_HISTORY_WINDOW', description: 'Earlier messages of the conversation the model sees', default: String(defaultAiSettings.historyWindow) },
      { name: 'PARLEY_AI_TIMEOUT_MS', description: 'Longest wait for an answer, in milliseconds', default: String(defaultAiSettings.timeoutMs) },
    ],
  },
  {
    title: 'Knowledge base (docs/knowledge.md)',
    vars: [
      { name: 'PARLEY_KNOWLEDGE_THRESHOLD', description: 'Confidence (0 to 1) an article needs for the bot to answer with it', default: String(DEFAULT_THRESHOLD) },
    ],
  },
  {
    title: 'Webhooks (docs/webhooks.md)',
    vars: [
      { name: 'PARLEY_WEBHOOKS_ALLOW_PRIVATE', description: 'Allow endpoints on loopback and private addresses', default: String(defaultWebhooks.allowPrivate) },
      { name: 'PARLEY_WEBHOOK_TIMEOUT_MS', description: 'Whole request time limit, in milliseconds', default: String(defaultWebhooks.timeoutMs) },
      { name: 'PARLEY_WEBHOOK_MAX_ATTEMPTS', description: 'Attempts before a delivery is given up', default: String(defaultWebhooks.maxAttempts) },
      { name: 'PARLEY_WEBHOOK_RETENTION_DAYS', description: 'Days the delivery log keeps finished deliveries', default: String(defaultWebhooks.retentionDays) },
      { name: 'PARLEY_WEBHOOK_DISABLE_AFTER', description: 'Deliveries given up in a row before an endpoint is disabled (0 never)', default: String(defaultWebhooks.disableAfterFailures) },
      { name: 'PARLEY_WEBHOOK_SECRET_GRACE_HOURS', description: 'Hours a rotated signing secret keeps signing beside the new one', default: String(defaultWebhooks.secretGraceMs / 3_600_000) },
    ],
  },
  {
    title: 'Prometheus metrics (docs/deployment.md#metrics)',
    vars: [
      { name: 'PARLEY_METRICS', description: 'Serve Prometheus metrics at /metrics', default: 'false' },
      { name: 'PARLEY_METRICS_TOKEN', description: 'Bearer token a scraper must send (16+ characters)', default: '' },
      { name: 'PARLEY_METRICS_PORT', description: 'Serve /metrics only on this port of HOST instead of the main one', default: '' },
    ],
  },
];

/**
 * The text of `.env.example`: every variable commented out at its default, so a copy changes
 * nothing until a line is uncommented.
 */
export function renderEnvExample(): string {
  const head = [
    '# Parley configuration. Generated from packages/server/src/environment.ts:',
    '# run `pnpm --filter @parley/server env-example` after changing it. Copy to .env and',
    '# uncomment what you change; every value shown is the default.',
  ];
  const sections = ENVIRONMENT.map((section) =>
    [`# --- ${section.title} ---`, ...section.vars.flatMap((v) => [`# ${v.description}`, `# ${v.name}=${v.default}`])].join('\n'),
  );
  return `${head.join('\n')}\n\n${sections.join('\n\n')}\n`;
}
