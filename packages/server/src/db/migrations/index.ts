import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './2026_11_21_0001_initial.js';
import * as agents from './2026_11_22_0001_agents.js';
import * as aiSettings from './2026_11_23_0001_ai_settings.js';
import * as searchBatches from './2026_11_24_0001_search_batches.js';
import * as leadsWebhooksIdentity from './2026_11_24_0002_leads_webhooks_identity.js';
import * as searchMergeSteps from './2026_11_25_0001_search_merge_steps.js';
import * as leanTurns from './2026_11_26_0001_lean_turns.js';
import * as searchDetailNone from './2026_11_26_0002_search_detail_none.js';
import * as webhookAutoDisable from './2026_11_27_0001_webhook_auto_disable.js';
import * as webhookPreviousSecret from './2026_11_27_0002_webhook_previous_secret.js';
import * as savedReplies from './2026_11_27_0003_saved_replies.js';
import * as conversationNotes from './2026_11_27_0004_conversation_notes.js';
import * as conversationAttributes from './2026_12_04_0501_conversation_attributes.js';
import * as flowVersions from './2026_12_04_0601_flow_versions.js';
import * as articles from './2026_12_04_0701_articles.js';
import * as insights from './2026_12_04_0801_insights.js';

/**
 * Every migration, by explicit import (greppable, survives bundling). Names sort in the order they
 * run; add new ones at the end and never edit one that has shipped.
 */
const migrations: Record<string, Migration> = {
  '2026_11_21_0001_initial': initial,
  '2026_11_22_0001_agents': agents,
  '2026_11_23_0001_ai_settings': aiSettings,
  '2026_11_24_0001_search_batches': searchBatches,
  '2026_11_24_0002_leads_webhooks_identity': leadsWebhooksIdentity,
  '2026_11_25_0001_search_merge_steps': searchMergeSteps,
  '2026_11_26_0001_lean_turns': leanTurns,
  '2026_11_26_0002_search_detail_none': searchDetailNone,
  '2026_11_27_0001_webhook_auto_disable': webhookAutoDisable,
  '2026_11_27_0002_webhook_previous_secret': webhookPreviousSecret,
  '2026_11_27_0003_saved_replies': savedReplies,
  '2026_11_27_0004_conversation_notes': conversationNotes,
  '2026_12_04_0501_conversation_attributes': conversationAttributes,
  '2026_12_04_0601_flow_versions': flowVersions,
  '2026_12_04_0701_articles': articles,
  '2026_12_04_0801_insights': insights,
};

/** Feeds Kysely's migrator from the list above instead of reading a folder at run time. */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
