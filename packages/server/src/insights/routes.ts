import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  ApiError,
  ChatRatingResponse,
  CsatReport,
  CsatSettings,
  DailyReport,
  FunnelReport,
  HoursReport,
  OverviewReport,
  RatingRequest,
  RatingResponse,
  ReportQuery,
  ResponseTimesReport,
  Strict,
} from '@parley/protocol';
import { agentAuth, tag, visitorAuth } from '../openapi/index.js';
import { Errors } from '../errors.js';
import { perAccount } from '../accounts/auth.js';
import { sessionFrom } from '../core/session-cookie.js';
import { resolvePeriod } from './period.js';

/** How these routes appear in the OpenAPI document. */
const agentDoc = { tags: [tag('insights')], security: agentAuth };
const visitorDoc = { tags: [tag('insights')], security: visitorAuth };

const errors = { '4xx': ApiError, '5xx': ApiError } as const;
const ChatParams = Strict({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** The visitor's rating: by the conversation's session (body or cookie), from an allowed origin. */
export const ratingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const rateLimit = { max: app.config.limits.httpRequestsPerMinute, timeWindow: '1 minute' };
  app.post(
    '/api/chatbot/rating',
    { config: { rateLimit }, schema: { summary: "Rate the conversation (CSAT), once", ...visitorDoc, body: RatingRequest, response: { 200: RatingResponse, ...errors } } },
    async (request) => {
      const token = sessionFrom(request, request.body.chatbot_session);
      if (token === undefined) throw Errors.badRequest('chatbot_session is required, in the body or the session cookie');
      const conversation = await app.chat.resolveSession(token);
      const company = app.companies.byIdOrUndefined(conversation.companyId);
      if (company && !app.companies.allowsOrigin(company, request.headers.origin)) throw Errors.forbidden('Origin not allowed');
      return app.csat.rate(conversation, request.body.score, request.body.comment);
    },
  );
};

/**
 * What agents and admins read: a conversation's rating (any agent of its company), the CSAT
 * settings and the reports (admins). Another company's conversation answers 404.
 */
export const insightsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addHook('onRequest', app.authenticate);
  const config = { rateLimit: perAccount(app.config.limits.agentRequestsPerMinute) };
  const admin = app.requireRole('admin');

  app.get(
    '/api/chats/:id/rating',
    { config, schema: { summary: "Get a conversation's rating", ...agentDoc, params: ChatParams, response: { 200: ChatRatingResponse, ...errors } } },
    async (request) => {
      const conversation = await app.conversations.ownedBy(request.user.companyId, request.params.id);
      return { rating: (await app.csat.rating(conversation.companyId, conversation.id)) ?? null };
    },
  );

  app.get('/api/csat/settings', { config, onRequest: admin, schema: { summary: "Get the company's CSAT settings (admins)", ...agentDoc, response: { 200: CsatSettings, ...errors } } }, async (request) =>
    app.csat.settings(request.user.companyId),
  );

  app.put(
    '/api/csat/settings',
    { config, onRequest: admin, schema: { summary: "Change the company's CSAT settings (admins)", ...agentDoc, body: CsatSettings, response: { 200: CsatSettings, ...errors } } },
    async (request) => app.csat.saveSettings(request.user.companyId, request.body),
  );

  const report = <T>(path: string, response: unknown, build: (companyId: string, period: ReturnType<typeof resolvePeriod>) => T) =>
    app.get(
      `/api/reports/${path}`,
      { config, onRequest: admin, schema: { summary: `Report: ${path.replace('-', ' ')} for a period and time zone (admins)`, ...agentDoc, querystring: ReportQuery, response: { 200: response as typeof OverviewReport, ...errors } } },
      async (request) => {
        const { from, to, tz } = request.query as ReportQuery;
        return build(request.user.companyId, resolvePeriod(from, to, tz)) as never;
      },
    );

  report('overview', OverviewReport, (companyId, period) => app.reports.overview(companyId, period));
  report('daily', DailyReport, (companyId, period) => app.reports.daily(companyId, period));
  report('response-times', ResponseTimesReport, (companyId, period) => app.reports.responseTimes(companyId, period));
  report('csat', CsatReport, (companyId, period) => app.reports.csat(companyId, period));
  report('hours', HoursReport, (companyId, period) => app.reports.hours(companyId, period));
  report('funnel', FunnelReport, (companyId, period) => app.reports.funnel(companyId, period, app.flows.active(companyId)));
};
