import type { FastifyInstance } from 'fastify';
import type { User } from '@parley/protocol';
import { Errors } from '../errors.js';
import { demoFlowPath } from '../flows/demo.js';
import { loadFlowFile } from '../flows/load.js';
import type { Company } from './companies.js';

/** A new company's name, origins and optional first admin. */
export interface NewCompany {
  name: string;
  allowedOrigins?: string[] | undefined;
  admin?: { email: string; name: string; password: string } | undefined;
}

/**
 * Adds a company (`POST /api/companies`, `parley company add`): its keys, its first admin, and the
 * demo flow as a starting bot so its widget answers at once. Undone when the admin cannot be made.
 * The API key is returned this once.
 */
export async function onboardCompany(app: FastifyInstance, input: NewCompany): Promise<{ company: Company; apiKey: string; admin?: User }> {
  if (input.admin && (await app.users.emailTaken(input.admin.email))) throw Errors.conflict('An account with this email already exists');
  const { company, apiKey } = await app.companies.create({ name: input.name, allowedOrigins: input.allowedOrigins });
  try {
    const admin = input.admin ? await app.users.create(company.id, { ...input.admin, role: 'admin' }) : undefined;
    await app.flows.activate(company.id, loadFlowFile(demoFlowPath()));
    return { company, apiKey, ...(admin ? { admin } : {}) };
  } catch (error) {
    await app.companies.remove(company.id);
    throw error;
  }
}
