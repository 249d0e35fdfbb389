import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { NoteView } from '@parley/protocol';
import type { Database } from '../db/database.js';
import type { ConversationNoteRow } from '../db/tables/index.js';
import { Errors } from '../errors.js';
import { hasRole } from '../accounts/auth.js';
import { topics, type EventBus } from '../core/bus.js';
import type { ConversationStore } from '../conversations/conversations.js';
import type { AuthUser } from '../accounts/users.js';

function toView(row: ConversationNoteRow): NoteView {
  return {
    id: row.id,
    conversation_id: row.conversation_id,
    author: { id: row.author_id, name: row.author_name },
    text: row.text,
    created_at: row.created_at,
  };
}

/**
 * Internal notes agents leave on a conversation. They are stored apart from its messages (the
 * visitor's transcript and its sequence numbers never include them) and announced on the
 * company's topic only, which visitor sockets never subscribe to. Any agent of the company reads
 * and writes them; a note is removed by its author or an admin.
 */
export class ConversationNotes {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly conversations: ConversationStore,
    private readonly bus: EventBus,
  ) {}

  /** The conversation's notes, oldest first; 404 for another company's conversation. */
  async list(user: AuthUser, conversationId: string): Promise<NoteView[]> {
    await this.conversations.ownedBy(user.companyId, conversationId);
    const rows = await this.db
      .selectFrom('conversation_notes')
      .selectAll()
      .where('conversation_id', '=', conversationId)
      .where('company_id', '=', user.companyId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toView);
  }

  /** Adds a note signed with the agent's name, then tells the company's agents. */
  async add(user: AuthUser, conversationId: string, text: string): Promise<NoteView> {
    await this.conversations.ownedBy(user.companyId, conversationId);
    const row: ConversationNoteRow = {
      id: randomUUID(),
      company_id: user.companyId,
      conversation_id: conversationId,
      author_id: user.id,
      author_name: user.name,
      text,
      created_at: new Date().toISOString(),
    };
    await this.db.insertInto('conversation_notes').values(row).execute();
    const note = toView(row);
    this.bus.publish(topics.company(user.companyId), { type: 'note', conversationId, companyId: user.companyId, note });
    return note;
  }

  /** Removes a note: its author's own, or any as an admin (403 otherwise); 404 when it is not there. */
  async remove(user: AuthUser, conversationId: string, noteId: string): Promise<void> {
    await this.conversations.ownedBy(user.companyId, conversationId);
    const row = await this.db
      .selectFrom('conversation_notes')
      .selectAll()
      .where('id', '=', noteId)
      .where('conversation_id', '=', conversationId)
      .where('company_id', '=', user.companyId)
      .executeTakeFirst();
    if (!row) throw Errors.notFound('Note not found');
    if (row.author_id !== user.id && !hasRole(user.role, 'admin')) throw Errors.forbidden('Only its author or an admin can remove a note');
    await this.db.deleteFrom('conversation_notes').where('id', '=', noteId).where('company_id', '=', user.companyId).execute();
    this.bus.publish(topics.company(user.companyId), { type: 'note_deleted', conversationId, companyId: user.companyId, noteId });
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Agents' internal notes on conversations. */
    notes: ConversationNotes;
  }
}

export default fp(
  async (app) => {
    app.decorate('notes', new ConversationNotes(app.db, app.conversations, app.bus));
  },
  { name: 'notes', dependencies: ['database', 'conversations', 'bus'] },
);
