import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import {
  ApiError,
  LeadDetail,
  LeadList,
  LeadListQuery,
  Limits,
  SendLeadRequest,
  SendLeadResponse,
  Strict,
  type LeadFields,
  type LeadView,
} from '@parley/protocol';
import { Errors } from '../errors.js';
import { perAccount } from '../accounts/auth.js';
import type { Company } from '../companies/companies.js';
import { toCsv } from '../lib/csv.js';
import { agentAuth, tag } from '../openapi/index.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('leads')], security: agentAuth };

const FIXED_COLUMNS = ['id', 'created_at', 'source', 'conversation_id'] as const;

/**
 * The columns of an export: the fixed ones, then every data key any lead has, sorted. A data key
 * that is also a fixed column's name gets a `data.` prefix, so no column is ever ambiguous.
 */
export function leadColumns(list: readonly LeadView[]): { header: string[]; keys: string[] } {
  const keys = [...new Set(list.flatMap((lead) => Object.keys(lead.data)))].sort();
  const fixed = new Set<string>(FIXED_COLUMNS);
  return { header: [...FIXED_COLUMNS, ...keys.map((k) => (fixed.has(k) ? `data.${k}` : k))], keys };
}

/** One lead as a JSON Lines record: the fixed fields first, then `data` with its keys sorted. */
export function leadRecord(lead: LeadView): string {
  const data = Object.fromEntries(Object.keys(lead.data).sort().map((k) => [k, lead.data[k]]));
  return JSON.stringify({ id: lead.id, created_at: lead.created_at, source: lead.source, conversation_id: lead.conversation_id, data });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The company a site key or API key picked for `POST /api/send-lead`. */
    leadCompany?: Company;
  }
}

/**
 * Leads. `GET /api/leads` lists the company's leads as JSON, or downloads them with
 * `?format=csv` (one column per field; cells escaped and guarded against spreadsheet formulas) or
 * `?format=jsonl` (one JSON object per line), the same records in the same order.
 * `GET /api/leads/:id` is one lead with its conversation. `POST /api/send-lead` (also at
 * `POST /send-lead`) takes visitor data from a site's own page or server.
 */
const leads: FastifyPluginAsyncTypebox = async (app) => {
  const config = { rateLimit: perAccount(app.config.limits.agentRequestsPerMinute) };
  app.get(
    '/api/leads',
    {
      config,
      onRequest: app.authenticate,
      schema: { summary: 'List leads, or export them as CSV or JSON Lines', ...openapi, querystring: LeadListQuery, response: { 200: Type.Union([LeadList, Type.String()]), '4xx': ApiError, '5xx': ApiError } },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      const list = await app.leads.list(request.user.companyId, filter);
      if (format !== 'csv' && format !== 'jsonl') return { leads: list };
      const day = new Date().toISOString().slice(0, 10);
      reply.header('content-disposition', `attachment; filename="leads-${day}.${format}"`).header('x-content-type-options', 'nosniff');
      if (format === 'jsonl') {
        return reply.type('application/x-ndjson; charset=utf-8').send(list.map((lead) => `${leadRecord(lead)}\n`).join(''));
      }
      const { header, keys } = leadColumns(list);
      const rows = [header, ...list.map((lead) => [...FIXED_COLUMNS.map((c) => lead[c]), ...keys.map((k) => lead.data[k])])];
      return reply.type('text/csv; charset=utf-8').send(toCsv(rows));
    },
  );

  app.get(
    '/api/leads/:id',
    {
      config,
      onRequest: app.authenticate,
      schema: { summary: 'Get one lead with its conversation', ...openapi, params: Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) }), response: { 200: LeadDetail, '4xx': ApiError, '5xx': ApiError } },
    },
    async (request) => {
      const lead = await app.leads.get(request.user.companyId, request.params.id);
      if (!lead) throw Errors.notFound('Lead not found');
      const conversation = lead.conversation_id ? await app.inbox.get(request.user.companyId, lead.conversation_id).catch(() => null) : null;
      return { lead, conversation };
    },
  );

  /**
   * The company of a send-lead call: its API key (servers), or its site key (pages, whose Origin
   * must be allowed), or with neither the default company (as `/api/chatbot` without `?site=`),
   * under the same Origin check: a page written for the Flask lead-capture system posts no key.
   */
  const leadCompany = async (request: FastifyRequest) => {
    const header = request.headers['x-api-key'];
    const apiKey = (typeof header === 'string' ? header : undefined) ?? app.auth.bearer(request);
    if (apiKey) {
      const company = apiKey.length <= 200 ? await app.companies.byApiKey(apiKey) : undefined;
      if (!company) throw Errors.unauthorized('Unknown API key');
      request.leadCompany = company;
      return;
    }
    const siteHeader = request.headers['x-site-key'];
    // Before validation (this runs first): a repeated `?site=` is an array, never a key.
    const query = (request.query as { site?: unknown }).site;
    const site = (typeof query === 'string' ? query : undefined) ?? (typeof siteHeader === 'string' ? siteHeader : undefined);
    let company: Company;
    try {
      company = app.companies.resolveSite(site);
    } catch {
      throw Errors.unauthorized('Unknown site key');
    }
    if (!app.companies.allowsOrigin(company, request.headers.origin)) throw Errors.forbidden('Origin not allowed');
    request.leadCompany = company;
  };

  // One per-address budget for both paths, so the alias is not a second allowance.
  const perAddress = app.rateLimit({ max: app.config.limits.sendLeadPerMinute, timeWindow: '1 minute' });
  // The Flask lead-capture system's path is the same call, answered the same way.
  for (const url of ['/api/send-lead', '/send-lead']) {
    app.post(
      url,
      {
        bodyLimit: Limits.maxLeadBytes,
        onRequest: async (request, reply) => {
          await leadCompany(request);
          await perAddress.call(app, request, reply);
        },
        schema: {
          summary: "Send a lead from a site's page (site key, or none for the default company) or server (API key)",
          tags: [tag('leads')],
          // The Flask system's path is the same call: documented once, under /api.
          hide: url === '/send-lead',
          security: [{ companyApiKey: [] }, {}],
          querystring: Strict({ site: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) }),
          body: SendLeadRequest,
          response: { 200: SendLeadResponse, '4xx': ApiError, '5xx': ApiError },
        },
      },
      async (request) => {
        const company = request.leadCompany!;
        const body: LeadFields = 'userData' in request.body && typeof request.body.userData === 'object' ? request.body.userData : (request.body as LeadFields);
        if (Object.keys(body).length > Limits.maxFormFields) throw Errors.payloadTooLarge(`A lead has at most ${Limits.maxFormFields} fields`);
        if (Object.keys(body).length === 0) throw Errors.validation('body: a lead needs at least one field');
        const session = request.headers['x-parley-session'];
        const conversation = typeof session === 'string' && session.length <= 128 ? await app.conversations.bySessionToken(session) : undefined;
        const timestamp = new Date().toISOString();
        await app.leads.save({
          companyId: company.id,
          conversationId: conversation?.companyId === company.id ? conversation.id : null,
          source: 'api',
          data: { ...body, timestamp },
          createdAt: timestamp,
        });
        return { message: 'Lead saved' as const };
      },
    );
  }
};

export default leads;
