import type { Insertable, Selectable } from 'kysely';

/** A company's saved AI settings. The API key is sealed (see `lib/sealed.ts`). */
export interface AiSettingsTable {
  company_id: string;
  enabled: number;
  base_url: string;
  model: string;
  api_key_sealed: string | null;
  temperature: number;
  max_tokens: number;
  system_prompt: string;
  history_window: number;
  timeout_ms: number;
  updated_at: string;
}
export type AiSettingsRow = Selectable<AiSettingsTable>;
export type NewAiSettingsRow = Insertable<AiSettingsTable>;
