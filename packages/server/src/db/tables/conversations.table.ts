import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { ConversationStatus, HandoffReason } from '@parley/protocol';

/** A visitor's conversation (a chat session). */
export interface ConversationsTable {
  id: string;
  company_id: string;
  /** SHA-256 of the visitor's session token; the token itself is never stored. */
  session_hash: string;
  flow_id: string | null;
  status: Generated<ConversationStatus>;
  /** JSON of the flow engine's state (step, attempts, variables). */
  flow_state: Generated<string>;
  /** Highest message sequence number used so far. */
  last_seq: Generated<number>;
  /**
   * Bumped by each write that changes the state (status, assignee, flow, terminal, closed) on
   * PostgreSQL, where writes compare it before they set it; 0 on SQLite.
   */
  state_version: Generated<number>;
  is_terminal: Generated<number>;
  visitor_ip: string | null;
  visitor_user_agent: string | null;
  assignee_id: string | null;
  created_at: string;
  updated_at: string;
  last_seen_at: string | null;
  closed_at: string | null;
  /** The visitor's id in an external system (`POST /api/transfer_to_agent`'s `user_id`). */
  visitor_id: string | null;
  /** When a person was last asked for; orders the hand-off queue. */
  handoff_at: string | null;
  handoff_reason: HandoffReason | null;
  /** What the requester told the agents (an external bot's summary); never shown to the visitor. */
  handoff_context: string | null;
  /** The visitor's id in the host site (`Parley.identify`), with the name and email it gave. */
  identity_user_id: string | null;
  identity_name: string | null;
  identity_email: string | null;
  /** 1 when the identity's hash or token checked out against the company's identity secret. */
  identity_verified: Generated<number>;
  identified_at: string | null;
  /** Visitor messages no agent has read yet. */
  unread_count: Generated<number>;
  /** 1 for a dashboard "Try it" conversation: the inbox neither shows nor counts it. */
  is_test: Generated<number>;
  /** The last visitor message agents have read (its seq). */
  read_seq: Generated<number>;
  /** JSON object of page attributes (`Parley.setAttributes`), or null when none were set. */
  attributes: string | null;
}
export type ConversationRow = Selectable<ConversationsTable>;
export type NewConversationRow = Insertable<ConversationsTable>;
export type ConversationUpdate = Updateable<ConversationsTable>;
