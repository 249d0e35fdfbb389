import type { Kysely } from 'kysely';
import type { FlowVersionView } from '@parley/protocol';
import type { Database } from '../../db/database.js';

/** The builder's unpublished draft of a company's flow, as stored. */
export interface FlowDraft {
  document: unknown;
  updatedAt: string;
}

/**
 * SQL of the flow admin capability: published versions (rows of `flows`, version > 0) and the
 * one draft per company. Every query is scoped to the company.
 */
export class FlowAdminStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** The company's published versions, newest first. */
  async versions(companyId: string): Promise<FlowVersionView[]> {
    const rows = await this.db
      .selectFrom('flows')
      .select(['version', 'name', 'created_at', 'published_by', 'is_active'])
      .where('company_id', '=', companyId)
      .where('version', '>', 0)
      .orderBy('version', 'desc')
      .execute();
    return rows.map((r) => ({ version: r.version, name: r.name, published_at: r.created_at, published_by: r.published_by, active: r.is_active === 1 }));
  }

  async draft(companyId: string): Promise<FlowDraft | undefined> {
    const row = await this.db.selectFrom('flow_drafts').selectAll().where('company_id', '=', companyId).executeTakeFirst();
    return row ? { document: JSON.parse(row.definition) as unknown, updatedAt: row.updated_at } : undefined;
  }

  /** Saves (replaces) the company's draft. */
  async saveDraft(companyId: string, document: unknown, userId: string): Promise<string> {
    const now = new Date().toISOString();
    const definition = JSON.stringify(document);
    await this.db
      .insertInto('flow_drafts')
      .values({ company_id: companyId, definition, updated_by: userId, updated_at: now })
      .onConflict((oc) => oc.column('company_id').doUpdateSet({ definition, updated_by: userId, updated_at: now }))
      .execute();
    return now;
  }

  async deleteDraft(companyId: string): Promise<void> {
    await this.db.deleteFrom('flow_drafts').where('company_id', '=', companyId).execute();
  }
}
