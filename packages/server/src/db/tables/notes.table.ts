import type { Selectable } from 'kysely';

/** An internal note on a conversation: agents only, never sent to the visitor. */
export interface ConversationNotesTable {
  id: string;
  company_id: string;
  conversation_id: string;
  /** Null once the author's account is deleted; `author_name` stays. */
  author_id: string | null;
  author_name: string;
  text: string;
  created_at: string;
}
export type ConversationNoteRow = Selectable<ConversationNotesTable>;
