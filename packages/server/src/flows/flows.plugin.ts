import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Flow } from '@parley/protocol';
import type { Database } from '../db/database.js';
import { loadFlowFile, parseFlow } from './load.js';
import { demoFlowPath } from './demo.js';
import { Errors } from '../errors.js';

/** A stored flow with its parsed definition. */
export interface StoredFlow {
  id: string;
  companyId: string;
  flow: Flow;
  /** 1, 2, 3... per company in publishing order; 0 for a flow only "Try it" conversations run. */
  version: number;
}

/**
 * Flows by id and each company's active flow, cached in memory after validation. Conversations
 * keep the id of the flow they started with, so replacing a company's flow never breaks a
 * conversation in progress.
 */
export class FlowRegistry {
  private byId = new Map<string, StoredFlow>();
  private activeByCompany = new Map<string, string>();

  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Loads every stored flow (again, after another process changed them). A stored flow that no
   * longer validates is skipped and reported.
   */
  async load(onInvalid: (id: string, error: Error) => void): Promise<void> {
    const rows = await this.db.selectFrom('flows').selectAll().orderBy('created_at').execute();
    for (const row of rows) {
      try {
        // A stored flow never changes (a new version is a new row): parse each one once.
        if (!this.byId.has(row.id)) {
          const flow = parseFlow(JSON.parse(row.definition), `flows/${row.id}`);
          this.byId.set(row.id, { id: row.id, companyId: row.company_id, flow, version: row.version });
        }
        if (row.is_active === 1) this.activeByCompany.set(row.company_id, row.id);
      } catch (error) {
        onInvalid(row.id, error as Error);
      }
    }
  }

  /**
   * Stores a validated flow for a company as its next version and makes it the active one (unless
   * it is unchanged). Conversations already running keep the flow they started with.
   */
  async activate(companyId: string, flow: Flow, publishedBy: string | null = null): Promise<StoredFlow> {
    const current = this.active(companyId);
    if (current && JSON.stringify(current.flow) === JSON.stringify(flow)) return current;
    const id = randomUUID();
    const now = new Date().toISOString();
    const version = await this.db.transaction().execute(async (trx) => {
      const { top } = await trx
        .selectFrom('flows')
        .select((eb) => eb.fn.max('version').as('top'))
        .where('company_id', '=', companyId)
        .executeTakeFirstOrThrow();
      const next = Number(top ?? 0) + 1;
      await trx.updateTable('flows').set({ is_active: 0, updated_at: now }).where('company_id', '=', companyId).where('is_active', '=', 1).execute();
      await trx
        .insertInto('flows')
        .values({ id, company_id: companyId, name: flow.name, definition: JSON.stringify(flow), is_active: 1, version: next, published_by: publishedBy, created_at: now, updated_at: now })
        .execute();
      return next;
    });
    const stored = { id, companyId, flow, version };
    this.byId.set(id, stored);
    this.activeByCompany.set(companyId, id);
    return stored;
  }

  /** One published version of the company's flow (version 0 is a trial, never published). */
  async published(companyId: string, version: number): Promise<StoredFlow | undefined> {
    const row = await this.db
      .selectFrom('flows')
      .select('id')
      .where('company_id', '=', companyId)
      .where('version', '=', version)
      .where('version', '>', 0)
      .executeTakeFirst();
    const stored = row && this.byId.get(row.id);
    return stored?.companyId === companyId ? stored : undefined;
  }

  /** Makes an earlier version the active one again (a roll back); undefined when there is no such version. */
  async republish(companyId: string, version: number): Promise<StoredFlow | undefined> {
    const stored = await this.published(companyId, version);
    if (!stored) return undefined;
    const now = new Date().toISOString();
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('flows').set({ is_active: 0, updated_at: now }).where('company_id', '=', companyId).where('is_active', '=', 1).execute();
      await trx.updateTable('flows').set({ is_active: 1, updated_at: now }).where('id', '=', stored.id).where('company_id', '=', companyId).execute();
    });
    this.activeByCompany.set(companyId, stored.id);
    return stored;
  }

  /** Stores a flow that only "Try it" conversations run (version 0: never listed nor active). */
  async storeTrial(companyId: string, flow: Flow): Promise<StoredFlow> {
    const id = randomUUID();
    const now = new Date().toISOString();
    await this.db
      .insertInto('flows')
      .values({ id, company_id: companyId, name: flow.name, definition: JSON.stringify(flow), is_active: 0, version: 0, published_by: null, created_at: now, updated_at: now })
      .execute();
    const stored = { id, companyId, flow, version: 0 };
    this.byId.set(id, stored);
    return stored;
  }

  /** The company's active flow, if it has one. */
  active(companyId: string): StoredFlow | undefined {
    const id = this.activeByCompany.get(companyId);
    return id ? this.byId.get(id) : undefined;
  }

  /** The company's active flow; 503 when the company has no bot yet. */
  activeOrFail(companyId: string): StoredFlow {
    const stored = this.active(companyId);
    if (!stored) throw Errors.unavailable('This site has no bot configured yet');
    return stored;
  }

  /** A flow by id (the one a conversation started with). */
  get(id: string): StoredFlow | undefined {
    return this.byId.get(id);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    flows: FlowRegistry;
  }
}

/**
 * Loads the flows and gives the default company its bot: the file named by `PARLEY_FLOW`, or the
 * demo support flow. A bad flow file stops the start with a message naming every problem.
 */
export default fp(
  async (app) => {
    const flows = new FlowRegistry(app.db);
    const reportInvalid = (id: string, error: Error) => app.log.error({ flow: id, err: error }, 'stored flow is invalid; skipped');
    await flows.load(reportInvalid);
    const defaultCompany = app.companies.defaultCompany();
    const flow = loadFlowFile(app.config.flowFile ?? demoFlowPath());
    const active = flows.active(defaultCompany.id);
    // A configured file always wins; otherwise the demo flow is installed, and kept up to date,
    // until the company gets a flow of its own.
    if (app.config.flowFile || !active || active.flow.id === flow.id) {
      await flows.activate(defaultCompany.id, flow);
    }
    app.decorate('flows', flows);
    // A company added by `parley company add` beside this server comes with its flow.
    app.externalChanges.onChange(() => flows.load(reportInvalid));
  },
  { name: 'flows', dependencies: ['database', 'companies'] },
);
