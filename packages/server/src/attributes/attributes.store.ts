import type { Kysely } from 'kysely';
import type { StoredAttributes } from '@parley/protocol';
import type { Database } from '../db/database.js';

/** The SQL of page attributes: one JSON column of `conversations`, always checked against the company. */
export class AttributesStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Replaces a conversation's attributes; false when no conversation of that company has the id. */
  async save(companyId: string, conversationId: string, attributes: StoredAttributes): Promise<boolean> {
    const result = await this.db
      .updateTable('conversations')
      .set({ attributes: Object.keys(attributes).length ? JSON.stringify(attributes) : null })
      .where('id', '=', conversationId)
      .where('company_id', '=', companyId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** A conversation's attributes; empty for none, or for another company's conversation. */
  async load(companyId: string, conversationId: string): Promise<StoredAttributes> {
    const row = await this.db
      .selectFrom('conversations')
      .select('attributes')
      .where('id', '=', conversationId)
      .where('company_id', '=', companyId)
      .executeTakeFirst();
    return row?.attributes ? (JSON.parse(row.attributes) as StoredAttributes) : {};
  }
}
