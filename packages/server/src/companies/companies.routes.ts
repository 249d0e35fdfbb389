import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  ApiError,
  CompanyList,
  CompanyResponse,
  CreateCompanyRequest,
  CreateCompanyResponse,
  UpdateCompanyRequest,
  type CompanyView,
} from '@parley/protocol';
import { perAccount } from '../accounts/auth.js';
import { Errors } from '../errors.js';
import type { Company } from './companies.js';
import { onboardCompany } from './onboarding.js';
import { agentAuth, tag } from '../openapi/index.js';

/** How this area's routes appear in the OpenAPI document. */
const openapi = { tags: [tag('companies')], security: agentAuth };

/** A company as its people see it (never the API key, only whether there is one). */
export function toCompanyView(company: Company): CompanyView {
  return {
    id: company.id,
    name: company.name,
    site_key: company.siteKey,
    allowed_origins: company.allowedOrigins,
    has_api_key: company.hasApiKey,
    is_default: company.isDefault,
    created_at: company.createdAt,
  };
}

/**
 * Companies. `GET/PATCH /api/company` is the caller's own company (everyone may read it, admins
 * change it: name, allowed origins, site key and API key rotation). `GET/POST /api/companies`
 * is for the instance owner, who adds companies with their first admin.
 */
const companies: FastifyPluginAsyncTypebox = async (app) => {
  const config = { rateLimit: perAccount(app.config.limits.agentRequestsPerMinute) };
  const own = (companyId: string) => {
    const company = app.companies.byIdOrUndefined(companyId);
    if (!company) throw Errors.notFound('Company not found');
    return company;
  };

  app.get(
    '/api/company',
    { config, onRequest: app.authenticate, schema: { summary: "Get the caller's company", ...openapi, response: { 200: CompanyResponse, '4xx': ApiError, '5xx': ApiError } } },
    async (request) => ({ company: toCompanyView(own(request.user.companyId)) }),
  );

  app.patch(
    '/api/company',
    {
      config,
      onRequest: app.requireRole('admin'),
      schema: { summary: 'Change the company, rotate its site key or API key (admins)', ...openapi, body: UpdateCompanyRequest, response: { 200: CompanyResponse, '4xx': ApiError, '5xx': ApiError } },
    },
    async (request) => {
      const { name, allowed_origins, rotate_site_key, rotate_api_key } = request.body;
      const { company, apiKey } = await app.companies.update(own(request.user.companyId).id, {
        name,
        allowedOrigins: allowed_origins,
        rotateSiteKey: rotate_site_key,
        rotateApiKey: rotate_api_key,
      });
      return { company: toCompanyView(company), ...(apiKey ? { api_key: apiKey } : {}) };
    },
  );

  app.get(
    '/api/companies',
    { config, onRequest: app.requireRole('owner'), schema: { summary: 'List every company (the instance owner)', ...openapi, response: { 200: CompanyList, '4xx': ApiError, '5xx': ApiError } } },
    async () => ({ companies: app.companies.list().map(toCompanyView) }),
  );

  app.post(
    '/api/companies',
    {
      config,
      onRequest: app.requireRole('owner'),
      schema: { summary: 'Add a company with its first admin (the instance owner)', ...openapi, body: CreateCompanyRequest, response: { 201: CreateCompanyResponse, '4xx': ApiError, '5xx': ApiError } },
    },
    async (request, reply) => {
      const { name, allowed_origins, admin } = request.body;
      const { company, apiKey, admin: user } = await onboardCompany(app, { name, allowedOrigins: allowed_origins, admin });
      return reply.code(201).send({ company: toCompanyView(company), api_key: apiKey, ...(user ? { admin: user } : {}) });
    },
  );
};

export default companies;
