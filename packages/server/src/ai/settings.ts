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
