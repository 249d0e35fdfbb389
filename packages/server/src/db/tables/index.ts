import type { AiSettingsTable } from './ai-settings.table.js';
import type { ArticleFtsTable, ArticlePassagesTable, ArticlesTable } from './articles.table.js';
import type { CompaniesTable } from './companies.table.js';
import type { ConversationsTable } from './conversations.table.js';
import type { FlowDraftsTable, FlowsTable } from './flows.table.js';
import type { ConversationSessionsTable, IdentitySettingsTable } from './identity.table.js';
import type { LeadsTable } from './leads.table.js';
import type { MessagesTable } from './messages.table.js';
import type { ConversationNotesTable } from './notes.table.js';
import type { ConversationFactsTable, ConversationRatingsTable, ConversationStepsTable, CsatSettingsTable, FunnelCountsTable, InsightCountsTable } from './insights.table.js';
import type { SavedRepliesTable } from './saved-replies.table.js';
import type { UploadsTable } from './uploads.table.js';
import type { UsersTable } from './users.table.js';
import type { WebhookAttemptsTable, WebhookDeliveriesTable, WebhookEndpointsTable, WebhookEventsTable } from './webhooks.table.js';

export type * from './ai-settings.table.js';
export type * from './companies.table.js';
export type * from './conversations.table.js';
export type * from './flows.table.js';
export type * from './identity.table.js';
export type * from './leads.table.js';
export type * from './messages.table.js';
export type * from './notes.table.js';
export type * from './insights.table.js';
export type * from './saved-replies.table.js';
export type * from './uploads.table.js';
export type * from './users.table.js';
export type * from './webhooks.table.js';
export type * from './articles.table.js';

/** Every table Parley stores, as Kysely sees them. */
export interface Database {
  ai_settings: AiSettingsTable;
  companies: CompaniesTable;
  flows: FlowsTable;
  conversations: ConversationsTable;
  messages: MessagesTable;
  leads: LeadsTable;
  uploads: UploadsTable;
  users: UsersTable;
  identity_settings: IdentitySettingsTable;
  conversation_sessions: ConversationSessionsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_events: WebhookEventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  saved_replies: SavedRepliesTable;
  conversation_notes: ConversationNotesTable;
  csat_settings: CsatSettingsTable;
  conversation_ratings: ConversationRatingsTable;
  conversation_facts: ConversationFactsTable;
  conversation_steps: ConversationStepsTable;
  funnel_counts: FunnelCountsTable;
  insight_counts: InsightCountsTable;
  articles: ArticlesTable;
  article_passages: ArticlePassagesTable;
  article_fts: ArticleFtsTable;
  flow_drafts: FlowDraftsTable;
}
