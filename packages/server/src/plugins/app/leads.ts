import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type SQLite from 'better-sqlite3';

/** A lead as stored: flat visitor data with its company, conversation and server timestamp. */
export interface Lead {
  id: string;
  companyId: string;
  conversationId: string | null;
  source: 'flow' | 'form' | 'api';
  data: Record<string, string | number | boolean>;
  createdAt: string;
}

/** Leads: insertion happens inside a conversation's write, so a lead and its reply commit together. */
export class LeadRepository {
  private readonly insert;

  constructor(sqlite: SQLite.Database) {
    this.insert = sqlite.prepare(
      'INSERT INTO leads (id, company_id, conversation_id, source, data, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** Builds a lead with a new id and the server's timestamp. */
  create(input: Omit<Lead, 'id' | 'createdAt'>): Lead {
    return { ...input, id: randomUUID(), createdAt: new Date().toISOString() };
  }

  /** Writes a lead; call it inside a group-commit write. */
  insertNow(lead: Lead): void {
    this.insert.run(lead.id, lead.companyId, lead.conversationId, lead.source, JSON.stringify(lead.data), lead.createdAt);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    leads: LeadRepository;
  }
}

export default fp(
  async (app) => {
    app.decorate('leads', new LeadRepository(app.sqlite));
  },
  { name: 'leads', dependencies: ['database'] },
);
