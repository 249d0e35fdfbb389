import { Type, type Static, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { defaultAiSettings } from './ai/settings.js';
import { DEFAULT_THRESHOLD } from './knowledge/retriever.js';

/*
 * Every environment variable the server reads, as one TypeBox schema: its name, type, default
 * and description. `loadConfig` (config.ts) reads the environment through it, `.env.example` is
 * rendered from it (`pnpm --filter @parley/server env-example`), and a test checks the README's
 * table against it. A variable whose absence means something of its own (the AI settings, which
 * apply only when one of them is set) has no `default`; its `shownDefault` is only written in
 * `.env.example`.
 */

const whole = (description: string, value: number, extra: object = {}) => Type.Integer({ minimum: 0, default: value, description, ...extra });
const flag = (description: string, value: boolean) => Type.Boolean({ default: value, description });
const text = (description: string, value: string) => Type.String({ default: value, description });
const optional = <T extends TSchema>(schema: T) => Type.Optional(schema);

/** The variables by section, in the order `.env.example` shows them. */
export const ENV_SECTIONS = {
  Server: Type.Object({
    PORT: whole('Port to listen on', 3000, { maximum: 65535 }),
    HOST: text('Address to bind; 0.0.0.0 accepts connections from other machines (and in a container)', '127.0.0.1'),
    DATA_DIR: text('Folder for the SQLite database, uploads and generated secrets', './data'),
    LOG_LEVEL: Type.Union(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)), {
      default: 'info',
      description: 'fatal, error, warn, info, debug, trace or silent',
    }),
    PARLEY_FLOW: optional(Type.String({ description: "Flow file for the default company's bot (the demo flow when unset)" })),
    PARLEY_TRUST_PROXY: flag('Trust X-Forwarded-* headers from a reverse proxy in front of the server', false),
    PARLEY_SQLITE_SYNCHRONOUS: Type.Union([Type.Literal('NORMAL'), Type.Literal('FULL')], {
      default: 'NORMAL',
      description: 'NORMAL survives process crashes; FULL also survives power loss, at some write latency',
    }),
    PARLEY_RETENTION_DAYS: whole('Delete conversations idle for longer than this many days (0 keeps everything)', 0),
    DATABASE_URL: optional(
      Type.String({
        pattern: '^postgres(ql)?://',
        description: 'PostgreSQL to store in instead of DATA_DIR/parley.sqlite (postgres://user:password@host:5432/name); see docs/scaling.md',
      }),
    ),
    REDIS_URL: optional(
      Type.String({
        pattern: '^rediss?://',
        patternHint: 'a redis:// or rediss:// address',
        description: 'Redis for live state shared by several server processes: events, presence, rate limits (redis://host:6379); see docs/scaling.md',
      }),
    ),
    PARLEY_REDIS_PREFIX: Type.String({ pattern: '^[^\\s]+:$', patternHint: 'non-empty, without spaces, ending with :', default: 'parley:', description: 'Starts every Redis key and channel, so deployments can share a Redis (ends with :)' }),
  }),
  'Dashboard accounts': Type.Object({
    PARLEY_SECRET: optional(Type.String({ minLength: 32, description: 'Signs dashboard tokens and seals stored keys (32+ characters); generated into DATA_DIR/secret when unset (into the database, shared by every node, on PostgreSQL)' })),
    PARLEY_ADMIN_EMAIL: optional(Type.String({ description: 'Email of the owner account made on first start', shownDefault: 'admin@parley.local' })),
    PARLEY_ADMIN_PASSWORD: optional(Type.String({ minLength: 8, description: 'Its password (8+ characters); generated and printed once when unset' })),
    PARLEY_TOKEN_TTL: whole('Dashboard sign-in lifetime, in seconds', 12 * 3600),
    PARLEY_ADMIN_ORIGINS: text('Comma-separated extra browser origins allowed on the agent socket', ''),
  }),
  Limits: Type.Object({
    PARLEY_MAX_UPLOAD_BYTES: whole('Largest image upload, in bytes', 5 * 1024 * 1024),
    PARLEY_HTTP_REQUESTS_PER_MINUTE: whole('Chat API requests per IP per minute', 300),
    PARLEY_SEND_LEAD_PER_MINUTE: whole('POST /api/send-lead requests per IP per minute', 30),
    PARLEY_WS_CONNECTIONS_PER_IP: whole('Concurrent visitor sockets per IP', 50),
    PARLEY_WS_FRAMES_PER_SECOND: whole('Sustained visitor frames per second per socket', 20),
    PARLEY_WS_FRAMES_PER_SECOND_PER_IP: whole('Sustained visitor frames per second shared by all sockets of an IP', 100),
    PARLEY_WS_CONNECTS_PER_MINUTE_PER_IP: whole('New visitor sockets per IP per minute', 120),
  }),
  'AI replies for the default company (docs/ai.md)': Type.Object({
    PARLEY_AI_ENABLED: optional(Type.Boolean({ description: 'Switch AI replies on or off; on by default once a model or key is set', shownDefault: String(defaultAiSettings.enabled) })),
    PARLEY_AI_BASE_URL: optional(Type.String({ description: 'OpenAI-compatible API address', shownDefault: defaultAiSettings.baseUrl })),
    PARLEY_AI_API_KEY: optional(Type.String({ description: 'API key of the provider' })),
    PARLEY_AI_MODEL: optional(Type.String({ description: 'Model name', shownDefault: defaultAiSettings.model })),
    PARLEY_AI_TEMPERATURE: optional(Type.Number({ description: 'Sampling temperature', shownDefault: String(defaultAiSettings.temperature) })),
    PARLEY_AI_MAX_TOKENS: optional(Type.Number({ description: 'Longest answer, in tokens', shownDefault: String(defaultAiSettings.maxTokens) })),
    PARLEY_AI_SYSTEM_PROMPT: optional(Type.String({ description: 'Extra instructions for the model' })),
    PARLEY_AI_HISTORY_WINDOW: optional(Type.Number({ description: 'Earlier messages of the conversation the model sees', shownDefault: String(defaultAiSettings.historyWindow) })),
    PARLEY_AI_TIMEOUT_MS: optional(Type.Number({ description: 'Longest wait for an answer, in milliseconds', shownDefault: String(defaultAiSettings.timeoutMs) })),
  }),
  'Knowledge base (docs/knowledge.md)': Type.Object({
    PARLEY_KNOWLEDGE_THRESHOLD: optional(
      Type.Number({ minimum: 0, maximum: 1, description: 'Confidence (0 to 1) an article needs for the bot to answer with it', shownDefault: String(DEFAULT_THRESHOLD) }),
    ),
  }),
  'Webhooks (docs/webhooks.md)': Type.Object({
    PARLEY_WEBHOOKS_ALLOW_PRIVATE: flag('Allow endpoints on loopback and private addresses', false),
    PARLEY_WEBHOOK_TIMEOUT_MS: whole('Whole request time limit, in milliseconds', 10_000),
    PARLEY_WEBHOOK_MAX_ATTEMPTS: whole('Attempts before a delivery is given up', 15),
    PARLEY_WEBHOOK_RETENTION_DAYS: whole('Days the delivery log keeps finished deliveries', 30),
    PARLEY_WEBHOOK_DISABLE_AFTER: whole('Deliveries given up in a row before an endpoint is disabled (0 never)', 3),
    PARLEY_WEBHOOK_SECRET_GRACE_HOURS: whole('Hours a rotated signing secret keeps signing beside the new one', 24),
  }),
  'Prometheus metrics (docs/deployment.md#metrics)': Type.Object({
    PARLEY_METRICS: flag('Serve Prometheus metrics at /metrics', false),
    PARLEY_METRICS_TOKEN: optional(Type.String({ minLength: 16, description: 'Bearer token a scraper must send (16+ characters)' })),
    PARLEY_METRICS_PORT: optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'Serve /metrics only on this port of HOST instead of the main one' })),
  }),
};

/** All variables in one schema: what `readEnvironment` checks the environment against. */
export const EnvironmentSchema = Type.Object(Object.assign({}, ...Object.values(ENV_SECTIONS).map((section) => section.properties)) as AllVars);
type Sections = typeof ENV_SECTIONS;
type AllVars = UnionToIntersection<{ [K in keyof Sections]: Sections[K]['properties'] }[keyof Sections]>;
type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/** The environment as the server reads it: typed, checked, with every default filled in. */
export type Environment = Static<typeof EnvironmentSchema>;

/** A variable's schema with its annotations. */
type VarSchema = TSchema & { type?: string; anyOf?: Array<{ const: unknown }>; default?: unknown; description?: string; shownDefault?: string; patternHint?: string; minimum?: number; maximum?: number; minLength?: number };

/** What a value of `schema` must look like, in words, for an error message. */
function expected(schema: VarSchema): string {
  if (schema.anyOf) return `one of ${schema.anyOf.map((s) => String(s.const)).join(', ')}`;
  const range = (what: string) =>
    schema.minimum !== undefined && schema.maximum !== undefined ? `${what} from ${schema.minimum} to ${schema.maximum}` : schema.minimum !== undefined && schema.minimum > 0 ? `${what} of at least ${schema.minimum}` : what;
  if (schema.type === 'integer') return range('a whole number');
  if (schema.type === 'number') return range('a number');
  if (schema.type === 'boolean') return 'true or false';
  if (schema.patternHint) return schema.patternHint;
  return `at least ${schema.minLength ?? 0} characters long`;
}

/** The raw string of a variable converted to its schema's type (it is checked afterwards). */
function convert(schema: VarSchema, raw: string): unknown {
  if (schema.anyOf) return schema.anyOf.find((s) => String(s.const).toLowerCase() === raw.toLowerCase())?.const ?? raw;
  if (schema.type === 'integer' || schema.type === 'number') return raw.trim() === '' ? raw : Number(raw);
  if (schema.type === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
  return raw;
}

/**
 * Reads the environment through the schema: an unset or empty variable takes its default (or
 * stays unset), anything else must match its type, or this throws an error naming the variable,
 * such as `PORT must be a whole number from 0 to 65535, got "http"`.
 */
export function readEnvironment(env: Record<string, string | undefined>): Environment {
  const values: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(EnvironmentSchema.properties)) {
    const schema = property as VarSchema;
    const raw = env[name];
    if (raw === undefined || raw === '') {
      if (schema.default !== undefined) values[name] = schema.default;
      continue;
    }
    const value = convert(schema, raw);
    if (!Value.Check(schema, value)) {
      // A secret is never echoed into logs; other values are, shortened.
      const got = /SECRET|PASSWORD|TOKEN|KEY/.test(name) ? '' : `, got "${raw.length > 40 ? `${raw.slice(0, 40)}...` : raw}"`;
      throw new Error(`${name} must be ${expected(schema)}${got}`);
    }
    values[name] = value;
  }
  return values as Environment;
}

/** One variable as the docs show it. */
export interface EnvVar {
  name: string;
  description: string;
  /** The value used when it is unset, as written in `.env.example` (empty: nothing). */
  default: string;
}

/** The variables by section, for `.env.example` and the README check. */
export function environmentTable(): Array<{ title: string; vars: EnvVar[] }> {
  return Object.entries(ENV_SECTIONS).map(([title, section]) => ({
    title,
    vars: Object.entries(section.properties).map(([name, property]) => {
      const schema = property as VarSchema;
      return { name, description: schema.description ?? '', default: schema.default !== undefined ? String(schema.default) : (schema.shownDefault ?? '') };
    }),
  }));
}

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
  const sections = environmentTable().map((section) =>
    [`# --- ${section.title} ---`, ...section.vars.flatMap((v) => [`# ${v.description}`, `# ${v.name}=${v.default}`])].join('\n'),
  );
  return `${head.join('\n')}\n\n${sections.join('\n\n')}\n`;
}
