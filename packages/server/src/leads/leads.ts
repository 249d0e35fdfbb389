import { timeOrderedId } from '../lib/ids.js';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import type { LeadView } from '@parley/protocol';
import type { DatabaseHandle } from '../db/handle.js';
import { param, prepareQuery } from '../db/prepared.js';
import type { LeadRow } from '../db/tables/index.js';
import type { WriteQueue } from '../db/write-queue.js';
import { topics, type BusEvent, type EventBus } from '../core/bus.js';
import type { Outbox } from '../core/outbox.js';
import { perform, type Work } from '../db/step.js';

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
  /** Only the leads of this conversation. */
  conversation_id?: string | undefined;
  /** ISO timestamps: created at or after `from`, before `to`. */
  from?: string | undefined;
  to?: string | undefined;
  limit?: number | undefined;
}

/** A stored lead as the API shows it. */
export function toLeadView(lead: Lead): LeadView {
  return { id: lead.id, conversation_id: lead.conversationId, source: lead.source, data: lead.data, created_at: lead.createdAt };
}

/**
 * Leads: a flow's or a form's lead is inserted inside the conversation's write, so it commits with
 * the reply; a lead posted by a site (`POST /api/send-lead`) is a write of its own. Either way it
 * is announced on the bus once committed (agents, the visitor's widget, webhooks).
 */
export class LeadRepository {
  private readonly insert;
  private readonly select;
  private readonly selectOne;

  constructor(
    database: DatabaseHandle,
    private readonly writes: WriteQueue,
    private readonly bus: EventBus,
    private readonly outbox: Outbox,
  ) {
    const { db } = database;
    this.selectOne = prepareQuery(database, { id: param<string>(), company: param<string>() }, (p) =>
      db.selectFrom('leads').selectAll().where('id', '=', p.id).where('company_id', '=', p.company),
    );
    // One statement for every filter: a filter left null matches everything. The casts name the
    // parameters' type, which PostgreSQL cannot guess in `? IS NULL`.
    this.select = prepareQuery(
      database,
      {
        company: param<string>(),
        q: param<string | null>(),
        conversation: param<string | null>(),
        from: param<string | null>(),
        to: param<string | null>(),
        limit: param<number>(),
      },
      (p) =>
        db
          .selectFrom('leads')
          .selectAll()
          .where('company_id', '=', p.company)
          .where((eb) => eb.or([eb(eb.cast(p.conversation, 'text'), 'is', null), eb('conversation_id', '=', p.conversation)]))
          // Kysely has no LIKE ... ESCAPE; `q` comes escaped (see `list`). Lower case on both
          // sides: SQLite's LIKE ignores case, PostgreSQL's does not.
          .where((eb) =>
            eb.or([eb(eb.cast(p.q, 'text'), 'is', null), sql<boolean>`lower(data) LIKE '%' || lower(cast(${p.q} as text)) || '%' ESCAPE '\\'`]),
          )
          .where((eb) => eb.or([eb(eb.cast(p.from, 'text'), 'is', null), eb('created_at', '>=', p.from)]))
          .where((eb) => eb.or([eb(eb.cast(p.to, 'text'), 'is', null), eb('created_at', '<', p.to)]))
          .orderBy('created_at', 'desc')
          .orderBy('id')
          .limit(p.limit),
    );
    this.insert = prepareQuery(
      database,
      { id: param<string>(), company: param<string>(), conversation: param<string | null>(), source: param<Lead['source']>(), data: param<string>(), at: param<string>() },
      (p) =>
        db.insertInto('leads').values({ id: p.id, company_id: p.company, conversation_id: p.conversation, source: p.source, data: p.data, created_at: p.at }),
    );
  }

  /** Builds a lead with a new id and the server's timestamp. */
  create(input: Omit<Lead, 'id' | 'createdAt'>): Lead {
    const { companyId, conversationId, source, data } = input;
    return { id: timeOrderedId(), companyId, conversationId, source, data, createdAt: new Date().toISOString() };
  }

  /** A company's leads, newest first (at most 1000 unless `limit` says otherwise). */
  async list(companyId: string, filter: LeadFilter = {}): Promise<LeadView[]> {
    const q = filter.q ? filter.q.replace(/[\\%_]/g, (ch) => `\\${ch}`) : null;
    const params = {
      company: companyId,
      q,
      conversation: filter.conversation_id ?? null,
      from: filter.from ?? null,
      to: filter.to ?? null,
      limit: filter.limit ?? 1000,
    };
    return (await this.select.all(params)).map(rowToView);
  }

  /** One lead of the company; undefined when it is not there (or is another company's). */
  async get(companyId: string, id: string): Promise<LeadView | undefined> {
    const row = id.length <= 64 ? await this.selectOne.get({ id, company: companyId }) : undefined;
    return row ? rowToView(row) : undefined;
  }

  /** Stores a lead on its own (not part of a conversation's turn) and announces it once committed. */
  async save(input: Omit<Lead, 'id' | 'createdAt'> & { createdAt?: string }): Promise<Lead> {
    const lead: Lead = { ...this.create(input), ...(input.createdAt ? { createdAt: input.createdAt } : {}) };
    await this.writes.run(() => this.insertNow(lead));
    this.publish(lead);
    return lead;
  }

  /** Tells the company's agents and the conversation's visitor about a committed lead. */
  publish(lead: Lead): void {
    const event = leadEvent(lead);
    this.bus.publish(topics.company(lead.companyId), event);
    if (lead.conversationId) this.bus.publish(topics.conversation(lead.conversationId), event);
  }

  /** Writes a lead and records its event for the webhooks; call it inside a group-commit write. */
  *insertNow(lead: Lead): Work<void> {
    yield* this.insert.run({ id: lead.id, company: lead.companyId, conversation: lead.conversationId, source: lead.source, data: JSON.stringify(lead.data), at: lead.createdAt });
    yield* perform(this.outbox.add(lead.companyId, 'lead', () => leadEvent(lead)));
  }
}

function leadEvent(lead: Lead): Extract<BusEvent, { type: 'lead' }> {
  return {
    type: 'lead',
    companyId: lead.companyId,
    conversationId: lead.conversationId,
    leadId: lead.id,
    source: lead.source,
    data: lead.data,
    createdAt: lead.createdAt,
  };
}

function rowToView(row: LeadRow): LeadView {
  return {
    id: row.id,
    conversation_id: row.conversation_id,
    source: row.source,
    data: JSON.parse(row.data) as LeadView['data'],
    created_at: row.created_at,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    leads: LeadRepository;
  }
}

export default fp(
  async (app) => {
    app.decorate('leads', new LeadRepository(app.database, app.writes, app.bus, app.outbox));
  },
  { name: 'leads', dependencies: ['database', 'bus', 'outbox'] },
);
