import type { Generated, Insertable, Selectable } from 'kysely';
import type { MessageRole, MessageStatus } from '@parley/protocol';

/** One message of a conversation. `(conversation_id, seq)` and `(conversation_id, client_id)` are unique. */
export interface MessagesTable {
  id: Generated<number>;
  conversation_id: string;
  company_id: string;
  seq: number;
  role: MessageRole;
  /** The visitor client's id for the message; a resend with the same id is stored once. */
  client_id: string | null;
  /** JSON array of components. */
  components: string;
  /** Plain-text rendering, for search and transcripts. */
  text: string;
  author_id: string | null;
  author_name: string | null;
  /** How long producing the message took (LLM replies), in milliseconds. */
  elapsed_ms: number | null;
  status: Generated<MessageStatus>;
  error: string | null;
  read_at: string | null;
  created_at: string;
}
export type MessageRow = Selectable<MessagesTable>;
export type NewMessageRow = Insertable<MessagesTable>;
