/** A company's resolved AI settings, as the provider client uses them. */
export interface AiSettings {
  enabled: boolean;
  /** An OpenAI-compatible API root, such as `https://api.openai.com/v1`. */
  baseUrl: string;
  model: string;
  /** Empty for providers that need none (Ollama, LM Studio). */
  apiKey: string;
  temperature: number;
  maxTokens: number;
  systemPrompt: string;
  /** Earlier messages of the conversation the model sees. */
  historyWindow: number;
  timeoutMs: number;
}

/** Defaults for every company: off, pointed at OpenAI. */
export const defaultAiSettings: AiSettings = {
  enabled: false,
  baseUrl: 'https://api.openai.com/v1',
  model: 'gpt-4o-mini',
  apiKey: '',
  temperature: 0.3,
  maxTokens: 500,
  systemPrompt: '',
  historyWindow: 12,
  timeoutMs: 20_000,
};

/**
 * AI settings for the default company from the environment: `PARLEY_AI_ENABLED`,
 * `PARLEY_AI_BASE_URL`, `PARLEY_AI_API_KEY`, `PARLEY_AI_MODEL`, `PARLEY_AI_TEMPERATURE`,
 * `PARLEY_AI_MAX_TOKENS`, `PARLEY_AI_SYSTEM_PROMPT`, `PARLEY_AI_HISTORY_WINDOW`,
 * `PARLEY_AI_TIMEOUT_MS`. Undefined when none is set. Enabled by default once a model or key is given.
 */
export function aiSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<AiSettings> | undefined {
  const number = (name: string) => {
    const value = env[name];
    if (value === undefined || value === '') return undefined;
    const n = Number(value);
    if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${value}"`);
    return n;
  };
  const settings: Partial<AiSettings> = {};
  if (env.PARLEY_AI_BASE_URL) settings.baseUrl = env.PARLEY_AI_BASE_URL;
  if (env.PARLEY_AI_API_KEY) settings.apiKey = env.PARLEY_AI_API_KEY;
  if (env.PARLEY_AI_MODEL) settings.model = env.PARLEY_AI_MODEL;
  if (env.PARLEY_AI_SYSTEM_PROMPT) settings.systemPrompt = env.PARLEY_AI_SYSTEM_PROMPT;
  const temperature = number('PARLEY_AI_TEMPERATURE');
  if (temperature !== undefined) settings.temperature = temperature;
  const maxTokens = number('PARLEY_AI_MAX_TOKENS');
  if (maxTokens !== undefined) settings.maxTokens = maxTokens;
  const historyWindow = number('PARLEY_AI_HISTORY_WINDOW');
  if (historyWindow !== undefined) settings.historyWindow = historyWindow;
  const timeoutMs = number('PARLEY_AI_TIMEOUT_MS');
  if (timeoutMs !== undefined) settings.timeoutMs = timeoutMs;
  if (Object.keys(settings).length === 0 && env.PARLEY_AI_ENABLED === undefined) return undefined;
  settings.enabled = env.PARLEY_AI_ENABLED === undefined ? true : env.PARLEY_AI_ENABLED === 'true';
  return settings;
}
