import type { Kysely } from 'kysely';
import type { StoredAttributes } from '@parley/protocol';
import type { Database } from '../db/database.js';
import type { DatabaseHandle } from '../db/handle.js';
import { param, prepareQuery } from '../db/prepared.js';
import type { WriteQueue } from '../db/write-queue.js';

/** The SQL of page attributes: one JSON column of `conversations`, always checked against the company. */
export class AttributesStore {
  private readonly db: Kysely<Database>;
  private readonly update;

  constructor(
    database: DatabaseHandle,
    private readonly writes: WriteQueue,
  ) {
    const { db } = database;
    this.db = db;
    this.update = prepareQuery(database, { id: param<string>(), company: param<string>(), attributes: param<string | null>() }, (p) =>
      db.updateTable('conversations').set({ attributes: p.attributes }).where('id', '=', p.id).where('company_id', '=', p.company),
    );
  }

  /**
   * Replaces a conversation's attributes; false when no conversation of that company has the id.
   * Through the write queue, so two saves of one socket land in the order they were made (on
   * PostgreSQL, two pooled connections could otherwise commit them the other way round).
   */
  async save(companyId: string, conversationId: string, attributes: StoredAttributes): Promise<boolean> {
    const values = { id: conversationId, company: companyId, attributes: Object.keys(attributes).length ? JSON.stringify(attributes) : null };
    const result = await this.writes.run(() => this.update.run(values), { lock: conversationId });
    return result.changes === 1;
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
