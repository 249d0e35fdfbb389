import { sql, type Kysely } from 'kysely';

/**
 * Insights: visitor ratings (CSAT), each company's rating settings, and two rollups kept in the
 * write path so reports never scan messages: one row of facts per conversation (when it started,
 * was handed off, first answered and resolved, whether the bot reached an end, its rating) and the
 * flow steps each conversation reached (the bot's funnel). Times in the rollups are epoch
 * milliseconds, so reports bucket them by time zone with integer arithmetic.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('csat_settings')
    .addColumn('company_id', 'text', (c) => c.primaryKey().references('companies.id').onDelete('cascade'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('scale', 'text', (c) => c.notNull().defaultTo('five'))
    .addColumn('ask_after', 'text', (c) => c.notNull().defaultTo('agent'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('conversation_ratings')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('scale', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('agent_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    // When the rated conversation started (epoch ms): reports list a period's comments by it.
    .addColumn('conversation_created_ms', 'integer', (c) => c.notNull())
    .execute();
  await sql`CREATE INDEX conversation_ratings_comments ON conversation_ratings (company_id, conversation_created_ms) WHERE comment IS NOT NULL`.execute(db);

  await db.schema
    .createTable('conversation_facts')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().references('conversations.id').onDelete('cascade'))
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('flow_id', 'text')
    .addColumn('created_ms', 'integer', (c) => c.notNull())
    .addColumn('handed_off_ms', 'integer')
    .addColumn('first_response_ms', 'integer')
    .addColumn('first_agent_id', 'text')
    .addColumn('resolution_ms', 'integer')
    .addColumn('resolved_by', 'text')
    .addColumn('bot_ended', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_step', 'text')
    // The step it stood at before: one UPDATE moves last_step and RETURNs where it stood.
    .addColumn('previous_step', 'text')
    .addColumn('rating', 'integer')
    .execute();
  // Reports read one company's conversations of a period. These partial indexes cover exactly
  // the columns each report reads, so a period's response times or funnel stops never touch
  // the table itself.
  await db.schema.createIndex('conversation_facts_company_created').on('conversation_facts').columns(['company_id', 'created_ms']).execute();
  await sql`CREATE INDEX conversation_facts_first_response ON conversation_facts (company_id, created_ms, first_response_ms, first_agent_id)
    WHERE first_response_ms IS NOT NULL`.execute(db);
  await sql`CREATE INDEX conversation_facts_resolution ON conversation_facts (company_id, created_ms, resolution_ms, resolved_by)
    WHERE resolution_ms IS NOT NULL`.execute(db);

  // The outcome counts of the conversations that started in each quarter hour (epoch ms / 900000),
  // moved from one outcome to another as conversations change: the overview, the daily chart,
  // the heatmap and the CSAT distribution sum at most 96 rows a day instead of every conversation.
  // Abandoned conversations are those counted in none of bot_only and handed_off.
  await db.schema
    .createTable('insight_counts')
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    .addColumn('conversations', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('bot_only', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('handed_off', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('resolved', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('rating_sum', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('r1', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('r2', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('r3', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('r4', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('r5', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('insight_counts_pk', ['company_id', 'bucket'])
    .modifyEnd(sql`WITHOUT ROWID`)
    .execute();

  await db.schema
    .createTable('conversation_steps')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_steps_pk', ['conversation_id', 'step'])
    .modifyEnd(sql`WITHOUT ROWID`)
    .execute();

  // How many conversations reached each flow step and how many stand last at it, by the quarter
  // hour (epoch ms / 900000) the conversation started in: the funnel sums a period without reading
  // every conversation. The row with step '' counts the flow's conversations (reached). Each
  // count is kept twice: by quarter hour and by UTC day (bucket -1 - epoch ms / 86400000), so a
  // long period sums a row per day and step.
  await db.schema
    .createTable('funnel_counts')
    .addColumn('company_id', 'text', (c) => c.notNull())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('bucket', 'integer', (c) => c.notNull())
    .addColumn('step', 'text', (c) => c.notNull())
    .addColumn('reached', 'integer', (c) => c.notNull())
    .addColumn('stopped', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('funnel_counts_pk', ['company_id', 'flow_id', 'bucket', 'step'])
    .modifyEnd(sql`WITHOUT ROWID`)
    .execute();

  // Conversations stored before insights existed: what their rows tell (no first response).
  await sql`INSERT INTO conversation_facts (conversation_id, company_id, flow_id, created_ms, handed_off_ms, bot_ended)
    SELECT id, company_id, flow_id,
      CAST(round((julianday(created_at) - 2440587.5) * 86400000) AS INTEGER),
      CASE WHEN handoff_at IS NULL THEN NULL ELSE CAST(round((julianday(handoff_at) - 2440587.5) * 86400000) AS INTEGER) END,
      is_terminal
    FROM conversations`.execute(db);
  await sql`INSERT INTO insight_counts (company_id, bucket, conversations, bot_only, handed_off)
    SELECT company_id, created_ms / 900000, count(*), sum(handed_off_ms IS NULL AND bot_ended = 1), sum(handed_off_ms IS NOT NULL)
    FROM conversation_facts GROUP BY 1, 2`.execute(db);
  await sql`INSERT INTO funnel_counts (company_id, flow_id, bucket, step, reached)
    SELECT company_id, flow_id, created_ms / 900000, '', count(*)
    FROM conversation_facts WHERE flow_id IS NOT NULL GROUP BY 1, 2, 3`.execute(db);
  await sql`INSERT INTO funnel_counts (company_id, flow_id, bucket, step, reached)
    SELECT company_id, flow_id, -1 - created_ms / 86400000, '', count(*)
    FROM conversation_facts WHERE flow_id IS NOT NULL GROUP BY 1, 2, 3`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('insight_counts').execute();
  await db.schema.dropTable('funnel_counts').execute();
  await db.schema.dropTable('conversation_steps').execute();
  await db.schema.dropTable('conversation_facts').execute();
  await db.schema.dropTable('conversation_ratings').execute();
  await db.schema.dropTable('csat_settings').execute();
}
