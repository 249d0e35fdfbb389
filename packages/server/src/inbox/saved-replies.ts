import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { SavedReplyView } from '@parley/protocol';
import type { Database } from '../db/database.js';
import type { SavedReplyRow } from '../db/tables/index.js';
import { Errors } from '../errors.js';

/** Saved replies a company may have: enough for any team, bounded so the composer's list stays quick. */
export const MAX_SAVED_REPLIES = 500;

function toView(row: SavedReplyRow): SavedReplyView {
  return { id: row.id, shortcut: row.shortcut, text: row.text, created_at: row.created_at, updated_at: row.updated_at };
}

/** Whether the database refused a row for a unique index (two admins saving one shortcut at once): SQLite's code, or PostgreSQL's 23505. */
function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

/**
 * A company's saved replies (canned answers): agents list them, admins add, change and remove
 * them. A shortcut is unique in its company. Every query is scoped to the company: another
 * company's reply answers 404, like one that does not exist.
 */
export class SavedReplies {
  constructor(private readonly db: Kysely<Database>) {}

  /** The company's replies, by shortcut. */
  async list(companyId: string): Promise<SavedReplyView[]> {
    const rows = await this.db.selectFrom('saved_replies').selectAll().where('company_id', '=', companyId).orderBy('shortcut').execute();
    return rows.map(toView);
  }

  /** Adds a reply; 409 when the shortcut is taken or the company has `MAX_SAVED_REPLIES`. */
  async create(companyId: string, input: { shortcut: string; text: string }): Promise<SavedReplyView> {
    const { n } = await this.db
      .selectFrom('saved_replies')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('company_id', '=', companyId)
      .executeTakeFirstOrThrow();
    if (n >= MAX_SAVED_REPLIES) throw Errors.conflict(`A company can have at most ${MAX_SAVED_REPLIES} saved replies`);
    const now = new Date().toISOString();
    const row: SavedReplyRow = { id: randomUUID(), company_id: companyId, shortcut: input.shortcut, text: input.text, created_at: now, updated_at: now };
    await this.guard(input.shortcut, () => this.db.insertInto('saved_replies').values(row).execute());
    return toView(row);
  }

  /** Changes a reply's shortcut or text; 404 for another company's, 409 when the shortcut is taken. */
  async update(companyId: string, id: string, changes: { shortcut?: string | undefined; text?: string | undefined }): Promise<SavedReplyView> {
    const set = {
      ...(changes.shortcut !== undefined ? { shortcut: changes.shortcut } : {}),
      ...(changes.text !== undefined ? { text: changes.text } : {}),
      updated_at: new Date().toISOString(),
    };
    const row = await this.guard(changes.shortcut ?? '', () =>
      this.db.updateTable('saved_replies').set(set).where('id', '=', id).where('company_id', '=', companyId).returningAll().executeTakeFirst(),
    );
    if (!row) throw Errors.notFound('Saved reply not found');
    return toView(row);
  }

  /** Removes a reply; 404 for another company's. */
  async remove(companyId: string, id: string): Promise<void> {
    const result = await this.db.deleteFrom('saved_replies').where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
    if (result.numDeletedRows === 0n) throw Errors.notFound('Saved reply not found');
  }

  private async guard<T>(shortcut: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw Errors.conflict(`The shortcut /${shortcut} is taken`);
      throw error;
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The companies' saved replies. */
    savedReplies: SavedReplies;
  }
}

export default fp(
  async (app) => {
    app.decorate('savedReplies', new SavedReplies(app.db));
  },
  { name: 'saved-replies', dependencies: ['database'] },
);
