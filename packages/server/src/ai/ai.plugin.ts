import fp from 'fastify-plugin';
import { sharedRedis } from '../core/redis.js';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { AiConfigUpdate, AiConfigView, AiTestResponse } from '@parley/protocol';
import type { Database } from '../db/database.js';
import type { AiSettingsRow } from '../db/tables/ai-settings.table.js';
import { AiError, completeChat, type ModelReply } from './provider.js';
import { buildModelMessages } from './prompt.js';
import { markdownToLightHtml } from './markdown.js';
import { defaultAiSettings, type AiSettings } from './settings.js';
import type { Sealer } from '../lib/sealed.js';
import { TokenBucket } from '../realtime/token-bucket.js';
import type { CompanyRepository } from '../companies/companies.js';
import type { AiAnswer as ChatAiAnswer, AiHooks, AiQuestion } from '../conversations/chat-types.js';

export type { AiQuestion } from '../conversations/chat-types.js';

/** What came of a question (the chat's `AiAnswer`), with the provider's kind of failure. */
export type AiAnswer = ChatAiAnswer<AiError>;

/** AI turns per conversation per minute, and per visitor address per minute. */
const TURNS_PER_MINUTE_PER_CONVERSATION = 8;
const TURNS_PER_MINUTE_PER_IP = 30;

function toView(settings: AiSettings, source: AiConfigView['source']): AiConfigView {
  return {
    enabled: settings.enabled,
    base_url: settings.baseUrl,
    model: settings.model,
    api_key_set: settings.apiKey !== '',
    temperature: settings.temperature,
    max_tokens: settings.maxTokens,
    system_prompt: settings.systemPrompt,
    history_window: settings.historyWindow,
    timeout_ms: settings.timeoutMs,
    source,
  };
}

/** Counts one hit of `key` against `perMinute` hits a minute, on every node; resolves whether it is allowed. */
export type SharedAiLimits = (name: string, key: string, perMinute: number) => Promise<boolean>;

/**
 * AI replies: per-company settings (saved ones over the environment's, which apply to the default
 * company, over defaults), the model call with its rate limits, and the settings test.
 */
export class AiService implements AiHooks {
  private readonly cache = new Map<string, { settings: AiSettings; source: AiConfigView['source'] }>();
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly companies: CompanyRepository,
    private readonly sealer: Sealer,
    private readonly fromEnv: Partial<AiSettings> | undefined,
    private readonly log?: FastifyBaseLogger,
  ) {
    const sweep = setInterval(() => this.buckets.clear(), 10 * 60_000);
    sweep.unref();
  }

  /** Loads every company's saved settings. */
  async load(): Promise<void> {
    const rows = await this.db.selectFrom('ai_settings').selectAll().execute();
    for (const row of rows) this.cache.set(row.company_id, { settings: this.fromRow(row), source: 'saved' });
  }

  /** The settings in force for a company. */
  settingsFor(companyId: string): AiSettings {
    return this.resolved(companyId).settings;
  }

  /** Whether the company's visitors get AI answers. */
  /** How long the company's provider may take before a turn gives up. */
  timeoutMs(companyId: string): number {
    return this.settingsFor(companyId).timeoutMs;
  }

  enabled(companyId: string): boolean {
    const settings = this.settingsFor(companyId);
    return settings.enabled && settings.model !== '';
  }

  /** The settings as the dashboard shows them (never the key). */
  view(companyId: string): AiConfigView {
    const { settings, source } = this.resolved(companyId);
    return toView(settings, source);
  }

  /** Saves changes; fields left out keep their value, `api_key: ""` removes the key. */
  async update(companyId: string, patch: AiConfigUpdate): Promise<AiConfigView> {
    const current = this.settingsFor(companyId);
    const next: AiSettings = {
      enabled: patch.enabled ?? current.enabled,
      baseUrl: (patch.base_url ?? current.baseUrl).replace(/\/+$/, ''),
      model: patch.model ?? current.model,
      apiKey: patch.api_key ?? current.apiKey,
      temperature: patch.temperature ?? current.temperature,
      maxTokens: patch.max_tokens ?? current.maxTokens,
      systemPrompt: patch.system_prompt ?? current.systemPrompt,
      historyWindow: patch.history_window ?? current.historyWindow,
      timeoutMs: patch.timeout_ms ?? current.timeoutMs,
    };
    const row = {
      company_id: companyId,
      enabled: next.enabled ? 1 : 0,
      base_url: next.baseUrl,
      model: next.model,
      api_key_sealed: next.apiKey ? this.sealer.seal(next.apiKey) : null,
      temperature: next.temperature,
      max_tokens: next.maxTokens,
      system_prompt: next.systemPrompt,
      history_window: next.historyWindow,
      timeout_ms: next.timeoutMs,
      updated_at: new Date().toISOString(),
    };
    await this.db
      .insertInto('ai_settings')
      .values(row)
      .onConflict((oc) => oc.column('company_id').doUpdateSet(row))
      .execute();
    this.cache.set(companyId, { settings: next, source: 'saved' });
    return toView(next, 'saved');
  }

  /** Sends one message with the company's settings (even while AI is switched off) and reports. */
  async test(companyId: string, message: string): Promise<AiTestResponse> {
    const settings = this.settingsFor(companyId);
    const started = performance.now();
    if (!settings.apiKey && new URL(settings.baseUrl).hostname === 'api.openai.com') {
      return { ok: false, error: `No API key is set for ${settings.baseUrl}`, latency_ms: 0 };
    }
    try {
      const messages = buildModelMessages({ companyName: this.companyName(companyId), systemPrompt: settings.systemPrompt, history: [], historyWindow: 0, question: message });
      const reply = await completeChat(settings, messages);
      const text = reply.handoff ? `(The assistant would hand this conversation to a person: ${reply.handoff.reason})` : reply.text;
      return { ok: true, reply: text, latency_ms: Math.round(performance.now() - started) };
    } catch (error) {
      const described = error instanceof AiError ? error : new AiError('bad_response', String(error));
      return { ok: false, error: described.message, latency_ms: Math.round(performance.now() - started) };
    }
  }

  /**
   * Counts AI turns in Redis, shared by every node (see `sharedAiLimits`); unset, in this process.
   */
  sharedLimits: SharedAiLimits | undefined;

  /**
   * Whether this conversation (and its visitor's address) may have another AI turn now: at once
   * from this process's buckets, or counted across nodes in Redis when `sharedLimits` is set.
   */
  allowTurn(conversationId: string, ip: string | null): boolean | Promise<boolean> {
    const shared = this.sharedLimits;
    if (shared) {
      return Promise.all([
        shared('ai-conversation', conversationId, TURNS_PER_MINUTE_PER_CONVERSATION),
        ip ? shared('ai-address', ip, TURNS_PER_MINUTE_PER_IP) : true,
      ]).then(([conversation, address]) => conversation && address);
    }
    const conversation = this.bucket(`c:${conversationId}`, TURNS_PER_MINUTE_PER_CONVERSATION);
    const address = ip ? this.bucket(`i:${ip}`, TURNS_PER_MINUTE_PER_IP) : undefined;
    return conversation.take() && (address?.take() ?? true);
  }

  /** Asks the company's model; never throws (a failure comes back as `ok: false`). */
  async answer(question: AiQuestion): Promise<AiAnswer> {
    const settings = this.settingsFor(question.companyId);
    const started = performance.now();
    try {
      const messages = buildModelMessages({
        companyName: this.companyName(question.companyId),
        systemPrompt: settings.systemPrompt,
        history: question.history,
        historyWindow: settings.historyWindow,
        question: question.question,
        ...(question.variables ? { variables: question.variables } : {}),
        ...(question.instructions ? { instructions: question.instructions } : {}),
        ...(question.sources?.length ? { sources: question.sources } : {}),
      });
      const reply: ModelReply = await completeChat(settings, messages, question.onDelta);
      return {
        ok: true,
        text: reply.text,
        html: markdownToLightHtml(reply.text),
        ...(reply.handoff ? { handoff: reply.handoff } : {}),
        elapsedMs: Math.round(performance.now() - started),
      };
    } catch (error) {
      const described = error instanceof AiError ? error : new AiError('bad_response', String(error));
      const elapsedMs = Math.round(performance.now() - started);
      this.log?.warn(
        { company: question.companyId, conversation: question.conversationId, kind: described.kind, elapsedMs, baseUrl: settings.baseUrl, model: settings.model },
        `AI reply failed: ${described.message}`,
      );
      return { ok: false, error: described, elapsedMs };
    }
  }

  private resolved(companyId: string): { settings: AiSettings; source: AiConfigView['source'] } {
    const saved = this.cache.get(companyId);
    if (saved) return saved;
    const company = this.companies.byIdOrUndefined(companyId);
    if (company?.isDefault && this.fromEnv) return { settings: { ...defaultAiSettings, ...this.fromEnv }, source: 'environment' };
    return { settings: defaultAiSettings, source: 'default' };
  }

  private fromRow(row: AiSettingsRow): AiSettings {
    return {
      enabled: row.enabled === 1,
      baseUrl: row.base_url,
      model: row.model,
      apiKey: row.api_key_sealed ? (this.sealer.open(row.api_key_sealed) ?? '') : '',
      temperature: row.temperature,
      maxTokens: row.max_tokens,
      systemPrompt: row.system_prompt,
      historyWindow: row.history_window,
      timeoutMs: row.timeout_ms,
    };
  }

  private companyName(companyId: string): string {
    return this.companies.byIdOrUndefined(companyId)?.name ?? 'this company';
  }

  private bucket(key: string, perMinute: number): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(perMinute / 60, perMinute)));
    return bucket;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    ai: AiService;
  }
}

export default fp(
  async (app) => {
    const ai = new AiService(app.db, app.companies, app.secrets.sealer('ai-api-key'), app.config.ai, app.log.child({ capability: 'ai' }));
    await ai.load();
    app.externalChanges.onChange(() => ai.load());
    // Several nodes: a conversation's and an address's AI turns count in Redis (failing open while it is away).
    const redis = await sharedRedis(app);
    if (redis) {
      ai.sharedLimits = (name, key, perMinute) =>
        redis.limiter.hit(name, key, { max: perMinute, windowMs: 60_000 }).then(
          (result) => result.allowed,
          () => true,
        );
    }
    app.decorate('ai', ai);
  },
  { name: 'ai', dependencies: ['database', 'secrets', 'companies'] },
);
