import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A tenant. Every conversation, message, lead and upload belongs to exactly one company. */
export interface CompaniesTable {
  id: string;
  name: string;
  /** Public key the widget sends (`data-site`, `?site=`). */
  site_key: string;
  /** SHA-256 of the server-to-server API key; the key itself is shown once. */
  api_key_hash: string | null;
  /** JSON array of origins allowed for CORS and WebSocket upgrades; empty allows any. */
  allowed_origins: Generated<string>;
  /** 1 for the company that answers when no site key is given. */
  is_default: Generated<number>;
  /** JSON object of per-company settings. */
  settings: Generated<string>;
  created_at: string;
}
export type CompanyRow = Selectable<CompaniesTable>;
export type NewCompanyRow = Insertable<CompaniesTable>;
export type CompanyUpdate = Updateable<CompaniesTable>;
