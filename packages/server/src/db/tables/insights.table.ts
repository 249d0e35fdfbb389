import type { Generated, Selectable } from 'kysely';
import type { CsatAskAfter, RatingScale } from '@parley/protocol';

/** A company's visitor-satisfaction settings (no row: CSAT is off). */
export interface CsatSettingsTable {
  company_id: string;
  enabled: Generated<number>;
  scale: Generated<RatingScale>;
  /** Which resolutions ask the visitor for a rating. */
  ask_after: Generated<CsatAskAfter>;
  updated_at: string;
}
export type CsatSettingsRow = Selectable<CsatSettingsTable>;

/** The visitor's rating of a conversation: at most one per conversation. */
export interface ConversationRatingsTable {
  conversation_id: string;
  company_id: string;
  /** The scale shown when the visitor rated. */
  scale: RatingScale;
  /** 1 to 5; thumbs are stored as 5 (up) and 1 (down). */
  score: number;
  comment: string | null;
  /** The agent who resolved the conversation, when one did. */
  agent_id: string | null;
  created_at: string;
  /** When the rated conversation started, in epoch ms. */
  conversation_created_ms: number;
}
export type ConversationRatingRow = Selectable<ConversationRatingsTable>;

/**
 * One row per conversation, kept in the write path for reports: times are epoch milliseconds
 * (`*_ms` durations are spans). Never the source of truth: the conversation and its messages are.
 */
export interface ConversationFactsTable {
  conversation_id: string;
  company_id: string;
  flow_id: string | null;
  created_ms: number;
  /** When a person was first asked for (or first stepped in). */
  handed_off_ms: number | null;
  /** From the hand-off to the first agent reply. */
  first_response_ms: number | null;
  first_agent_id: string | null;
  /** From the hand-off to the first resolution by an agent. */
  resolution_ms: number | null;
  resolved_by: string | null;
  /** 1 once the bot reached an `end` step. */
  bot_ended: Generated<number>;
  /** The flow step the conversation last reached. */
  last_step: string | null;
  /**
   * The flow steps it reached, once each (the bot's funnel), as a JSON array of step ids; with
   * `last_step`, kept only for a conversation stored before this memory moved into its flow
   * state (`FlowState.funnel`), and null for those started since.
   */
  steps: string | null;
  /** The visitor's rating, 1 to 5. */
  rating: number | null;
}

/**
 * How many conversations that started in a quarter hour (`bucket`, epoch ms / 900000) reached a
 * flow step, and how many stand last at it. The row with step `''` counts the flow's conversations.
 */
export interface FunnelCountsTable {
  company_id: string;
  flow_id: string;
  bucket: number;
  step: string;
  reached: number;
  stopped: Generated<number>;
}

/** Outcome counts of the conversations that started in a quarter hour (`bucket`, epoch ms / 900000). */
export interface InsightCountsTable {
  company_id: string;
  bucket: number;
  conversations: Generated<number>;
  bot_only: Generated<number>;
  handed_off: Generated<number>;
  resolved: Generated<number>;
  rating_sum: Generated<number>;
  r1: Generated<number>;
  r2: Generated<number>;
  r3: Generated<number>;
  r4: Generated<number>;
  r5: Generated<number>;
}
