import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';

/**
 * A company's AI settings as admins see them. The API key is write-only: only whether one is set
 * is ever shown.
 */
export const AiConfigView = Strict({
  enabled: Type.Boolean(),
  base_url: Type.String(),
  model: Type.String(),
  api_key_set: Type.Boolean(),
  temperature: Type.Number(),
  max_tokens: Type.Integer(),
  system_prompt: Type.String(),
  /** How many earlier messages of the conversation the model sees. */
  history_window: Type.Integer(),
  /** How long to wait for the provider, in milliseconds. */
  timeout_ms: Type.Integer(),
  /** Where the settings come from: saved in the dashboard, or the environment (default company). */
  source: Type.Union([Type.Literal('saved'), Type.Literal('environment'), Type.Literal('default')]),
});
export type AiConfigView = Static<typeof AiConfigView>;

/**
 * `PUT /api/ai/config` (admin). Fields left out keep their value. `api_key: ""` removes the key;
 * an OpenAI-compatible `base_url` such as `https://api.openai.com/v1`, `https://openrouter.ai/api/v1`
 * or `http://localhost:11434/v1` (Ollama).
 */
export const AiConfigUpdate = Strict({
  enabled: Type.Optional(Type.Boolean()),
  base_url: Type.Optional(Type.String({ pattern: '^https?://[^\\s]+$', maxLength: 500 })),
  model: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  api_key: Type.Optional(Type.String({ maxLength: 500 })),
  temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
  max_tokens: Type.Optional(Type.Integer({ minimum: 1, maximum: 32000 })),
  system_prompt: Type.Optional(Type.String({ maxLength: 8000 })),
  history_window: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  timeout_ms: Type.Optional(Type.Integer({ minimum: 1000, maximum: 120000 })),
});
export type AiConfigUpdate = Static<typeof AiConfigUpdate>;

/** `POST /api/ai/test`: send one message to the configured model. */
export const AiTestRequest = Strict({ message: Type.String({ minLength: 1, maxLength: 4000 }) });
export type AiTestRequest = Static<typeof AiTestRequest>;

/** The model's reply and how long it took, or the provider's error in plain words. */
export const AiTestResponse = Strict({
  ok: Type.Boolean(),
  reply: Type.Optional(Type.String()),
  latency_ms: Type.Integer({ minimum: 0 }),
  error: Type.Optional(Type.String()),
});
export type AiTestResponse = Static<typeof AiTestResponse>;
