import type { Selectable } from 'kysely';

/** A company's canned answer, picked in the composer by its shortcut. */
export interface SavedRepliesTable {
  id: string;
  company_id: string;
  /** Unique in the company: what an agent types after `/`. */
  shortcut: string;
  text: string;
  created_at: string;
  updated_at: string;
}
export type SavedReplyRow = Selectable<SavedRepliesTable>;
