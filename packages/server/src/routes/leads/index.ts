import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError, LeadList, LeadListQuery } from '@parley/protocol';
import type { ParleyConfig } from '../../config.js';
import { perAccount } from '../../plugins/app/auth.js';
import { toCsv } from '../../lib/csv.js';

const FIXED_COLUMNS = ['id', 'created_at', 'source', 'conversation_id'] as const;

/**
 * `GET /api/leads`: the company's leads as JSON, or as a CSV download with `?format=csv` (one
 * column per field any lead has; cells escaped and guarded against spreadsheet formulas).
 */
const leads: FastifyPluginAsyncTypebox<{ config: ParleyConfig }> = async (app, opts) => {
  const config = { rateLimit: perAccount(opts.config.limits.agentRequestsPerMinute) };
  app.get(
    '/api/leads',
    {
      config,
      onRequest: app.authenticate,
      schema: { querystring: LeadListQuery, response: { 200: Type.Union([LeadList, Type.String()]), '4xx': ApiError, '5xx': ApiError } },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query;
      const list = app.leads.list(request.user.companyId, filter);
      if (format !== 'csv') return { leads: list };
      const fields = [...new Set(list.flatMap((lead) => Object.keys(lead.data)))].sort();
      const rows = [
        [...FIXED_COLUMNS, ...fields],
        ...list.map((lead) => [...FIXED_COLUMNS.map((c) => lead[c]), ...fields.map((f) => lead.data[f])]),
      ];
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="leads-${day}.csv"`)
        .header('x-content-type-options', 'nosniff')
        .send(toCsv(rows));
    },
  );
};

export default leads;
