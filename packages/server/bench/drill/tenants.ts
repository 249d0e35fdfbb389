import { readFileSync } from 'node:fs';
import type { CompanyList, CreateCompanyResponse, LoginResponse, WebhookEndpointResponse } from '@parley/protocol';
import { benchModule } from '../lib/children.js';
import type { WebhookSink } from './webhook-sink.js';

/** One company of the drill: its visitors' site key, its agents' tokens, its webhook endpoint. */
export interface DrillTenant {
  name: string;
  companyId: string;
  siteKey: string;
  agentTokens: string[];
  /** The endpoint's name at the sink (its path). */
  endpoint: string;
}

async function call<T>(http: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const response = await fetch(`${http}${path}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const login = async (http: string, email: string, password: string) => (await call<LoginResponse>(http, 'POST', '/api/auth/login', { email, password })).token;

/**
 * Makes the drill's companies on one node (`http`), before the others start, so every node reads
 * them when it starts: the default company and `count - 1` more, each with the bench flow (every
 * message answered), `agents` agent accounts signed in, and a webhook endpoint for
 * `message.created` pointing at the sink.
 */
export async function setUpTenants(http: string, ownerPassword: string, sink: WebhookSink, count: number, agents: number): Promise<DrillTenant[]> {
  const owner = await login(http, 'admin@parley.local', ownerPassword);
  const flow = JSON.parse(readFileSync(benchModule('flows/turns.json'), 'utf8')) as unknown;
  const tenants: DrillTenant[] = [];
  for (let t = 0; t < count; t++) {
    const name = String.fromCharCode(97 + t);
    let admin = owner;
    let company;
    if (t === 0) {
      company = (await call<CompanyList>(http, 'GET', '/api/companies', undefined, owner)).companies.find((c) => c.is_default)!;
    } else {
      const email = `admin@${name}.drill`;
      const made = await call<CreateCompanyResponse>(http, 'POST', '/api/companies', { name: `Drill ${name}`, admin: { email, name: `Admin ${name}`, password: ownerPassword } }, owner);
      company = made.company;
      admin = await login(http, email, ownerPassword);
      await call(http, 'PUT', '/api/company/flow', flow, admin);
    }
    const agentTokens: string[] = [];
    for (let i = 0; i < agents; i++) {
      const email = `agent${i}@${name}.drill`;
      await call(http, 'POST', '/api/users', { email, name: `Agent ${name}${i}`, password: ownerPassword, role: 'agent' }, admin);
      agentTokens.push(await login(http, email, ownerPassword));
    }
    const endpoint = `company-${name}`;
    const made = await call<WebhookEndpointResponse>(http, 'POST', '/api/webhooks', { url: sink.url(endpoint), events: ['message.created'] }, admin);
    sink.useSecret(endpoint, made.secret!);
    tenants.push({ name, companyId: company.id, siteKey: company.site_key, agentTokens, endpoint });
  }
  return tenants;
}
