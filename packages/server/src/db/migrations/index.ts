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
import * as postgresBaseline from './postgres/2026_12_05_0000_baseline.js';
import * as multiNodeWrites from './2026_12_06_0001_multi_node_writes.js';
import * as settingsVersion from './2026_12_06_0002_settings_version.js';
import * as uploadBlobs from './2026_12_06_0003_upload_blobs.js';
import * as webhookEndpointLeases from './2026_12_06_0004_webhook_endpoint_leases.js';
import * as instanceSecret from './2026_12_07_0001_instance_secret.js';
import * as stepsInFacts from './2026_12_08_0001_steps_in_facts.js';
import * as dropCompanyStatusIndex from './2026_12_09_0001_drop_company_status_index.js';

/** The SQL dialects Parley stores in: SQLite by default, PostgreSQL for running on many nodes. */
export type MigrationDialect = 'sqlite' | 'postgres';

/**
 * The SQLite history, by explicit import (greppable, survives bundling). Names sort in the order
 * they run. Frozen: never edit one that has shipped, and add nothing here any more; a new
 * migration goes in `shared` below.
 */
const sqliteHistory: Record<string, Migration> = {
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

/**
 * PostgreSQL starts from one migration that creates what the SQLite history arrives at (see the
 * baseline's header for how types and full-text search map). `test/db/postgres-schema.test.ts`
 * compares the two schemas.
 */
const postgresHistory: Record<string, Migration> = {
  '2026_12_05_0000_baseline': postgresBaseline,
};

/**
 * Migrations written after the baseline, once for both dialects: Kysely's schema builder and SQL
 * that both accept, `Kysely<any>`, names sorting after `2026_12_05_0000`. Where a dialect needs
 * its own SQL, the migration asks `db.getExecutor().adapter` or is split in two with a comment.
 */
const shared: Record<string, Migration> = {
  '2026_12_06_0001_multi_node_writes': multiNodeWrites,
  '2026_12_06_0002_settings_version': settingsVersion,
  '2026_12_06_0003_upload_blobs': uploadBlobs,
  '2026_12_06_0004_webhook_endpoint_leases': webhookEndpointLeases,
  '2026_12_07_0001_instance_secret': instanceSecret,
  '2026_12_08_0001_steps_in_facts': stepsInFacts,
  '2026_12_09_0001_drop_company_status_index': dropCompanyStatusIndex,
};

/** Every migration of a dialect, in the order its names sort. */
export function migrationsFor(dialect: MigrationDialect): Record<string, Migration> {
  return { ...(dialect === 'sqlite' ? sqliteHistory : postgresHistory), ...shared };
}

/** Feeds Kysely's migrator a dialect's list instead of reading a folder at run time. */
export function migrationProviderFor(dialect: MigrationDialect): MigrationProvider {
  const migrations = migrationsFor(dialect);
  return {
    async getMigrations() {
      return migrations;
    },
  };
}

/** The SQLite provider, as `openDatabase` has always used it. */
export const migrationProvider: MigrationProvider = migrationProviderFor('sqlite');
