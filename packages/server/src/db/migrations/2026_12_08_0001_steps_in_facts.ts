import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * The flow steps a conversation reached move from `conversation_steps` (a row per step) into its
 * `conversation_facts` row (`steps`, a JSON array), so a visitor turn that reaches a new step
 * writes one row it already writes (the facts' last step) instead of also inserting into a table
 * keyed by random conversation ids, where every such insert dirtied a page of its own.
 * `previous_step` goes: the recorder reads the facts it changes instead of asking an UPDATE for
 * the old value.
 *
 * Written once for both dialects; only the aggregate that builds the array differs.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversation_facts').addColumn('steps', 'text').execute();
  const array = isPostgres(db) ? sql`json_agg(s.step ORDER BY s.step)::text` : sql`json_group_array(s.step)`;
  await sql`UPDATE conversation_facts SET steps = (SELECT ${array} FROM conversation_steps s WHERE s.conversation_id = conversation_facts.conversation_id)
    WHERE EXISTS (SELECT 1 FROM conversation_steps s WHERE s.conversation_id = conversation_facts.conversation_id)`.execute(db);
  await db.schema.dropTable('conversation_steps').execute();
  await db.schema.alterTable('conversation_facts').dropColumn('previous_step').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversation_facts').addColumn('previous_step', 'text').execute();
  await db.schema
    .createTable('conversation_steps')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('step', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_steps_pk', ['conversation_id', 'step'])
    .modifyEnd(isPostgres(db) ? sql`` : sql`WITHOUT ROWID`)
    .execute();
  const each = isPostgres(db) ? sql`json_array_elements_text(f.steps::json) AS j(value)` : sql`json_each(f.steps) AS j`;
  await sql`INSERT INTO conversation_steps (conversation_id, step) SELECT f.conversation_id, j.value FROM conversation_facts f, ${each} WHERE f.steps IS NOT NULL`.execute(db);
  await db.schema.alterTable('conversation_facts').dropColumn('steps').execute();
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}
