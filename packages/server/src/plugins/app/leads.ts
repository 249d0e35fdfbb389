import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type SQLite from 'better-sqlite3';
import type { LeadView } from '@parley/protocol';
import type { LeadRow } from '../../db/tables/index.js';

/** A lead as stored: flat visitor data with its company, conversation and server timestamp. */
export interface Lead {
  id: string;
  companyId: string;
  conversationId: string | null;
  source: 'flow' | 'form' | 'api';
  data: Record<string, string | number | boolean>;
  createdAt: string;
}

/** Filters of `LeadRepository.list`. */
export interface LeadFilter {
  /** Text the lead's data contains (case-insensitive). */
  q?: string | undefined;
  /** ISO timestamps: created at or after `from`, before `to`. */
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
}

/** Leads: insertion happens inside a conversation's write, so a lead and its reply commit together. */
export class LeadRepository {
  private readonly insert;
  private readonly select;

  constructor(sqlite: SQLite.Database) {
    this.select = sqlite.prepare<[{ company: string; q: string | null; from: string | null; to: string | null; limit: number }], LeadRow>(
      `SELECT * FROM leads WHERE company_id = @company
         AND (@q IS NULL OR data LIKE '%' || @q || '%' ESCAPE '\\')
         AND (@from IS NULL OR created_at >= @from)
         AND (@to IS NULL OR created_at < @to)
       ORDER BY created_at DESC, id LIMIT @limit`,
    );
    this.insert = sqlite.prepare(
      'INSERT INTO leads (id, company_id, conversation_id, source, data, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** Builds a lead with a new id and the server's timestamp. */
  create(input: Omit<Lead, 'id' | 'createdAt'>): Lead {
    return { ...input, id: randomUUID(), createdAt: new Date().toISOString() };
  }

  /** A company's leads, newest first (at most 1000 unless `limit` says otherwise). */
  list(companyId: string, filter: LeadFilter = {}): LeadView[] {
    const q = filter.q ? filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`) : null;
    const params = { company: companyId, q, from: filter.from ?? null, to: filter.to ?? null, limit: filter.limit ?? 1000 };
    return this.select.all(params).map((row) => ({
      id: row.id,
      conversation_id: row.conversation_id,
      source: row.source as LeadView['source'],
      data: JSON.parse(row.data) as LeadView['data'],
      created_at: row.created_at,
    }));
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
