import type { Insertable, Selectable } from 'kysely';

/** A company's identity verification settings. The secret is sealed (see `lib/sealed.ts`). */
export interface IdentitySettingsTable {
  company_id: string;
  secret_sealed: string;
  /** 1: refuse identities that are not verified. */
  enforce: number;
  rotated_at: string;
}
export type IdentitySettingsRow = Selectable<IdentitySettingsTable>;
export type NewIdentitySettingsRow = Insertable<IdentitySettingsTable>;

/**
 * Extra session tokens of a conversation: a verified visitor who opens the chat on another device
 * gets a token of their own for the same conversation. Only the token's SHA-256 is stored.
 */
export interface ConversationSessionsTable {
  token_hash: string;
  conversation_id: string;
  company_id: string;
  created_at: string;
}
export type ConversationSessionRow = Selectable<ConversationSessionsTable>;
