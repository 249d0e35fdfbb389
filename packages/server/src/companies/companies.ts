import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { CompanyRow } from '../db/tables/index.js';
import { Errors } from '../errors.js';

/** A company as the app uses it, with its JSON columns parsed. */
export interface Company {
  id: string;
  name: string;
  siteKey: string;
  allowedOrigins: string[];
  isDefault: boolean;
  settings: Record<string, unknown>;
  /** Whether a server-to-server API key was made (only its hash is stored). */
  hasApiKey: boolean;
  createdAt: string;
}

function toCompany(row: CompanyRow): Company {
  return {
    id: row.id,
    name: row.name,
    siteKey: row.site_key,
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    isDefault: row.is_default === 1,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    hasApiKey: row.api_key_hash !== null,
    createdAt: row.created_at,
  };
}

/** A new public site key, such as `pk_3hQx...`. */
export function newSiteKey(): string {
  return `pk_${randomBytes(12).toString('base64url')}`;
}

/** A new secret server-to-server API key, such as `sk_Qm9...`. Shown once; only its hash is stored. */
export function newApiKey(): string {
  return `sk_${randomBytes(24).toString('base64url')}`;
}

/** SHA-256 of an API key, as stored (the keys are long and random, so a fast hash is enough). */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Changes an admin may make to their company. */
export interface CompanyChanges {
  name?: string | undefined;
  allowedOrigins?: string[] | undefined;
  rotateSiteKey?: boolean | undefined;
  rotateApiKey?: boolean | undefined;
}

/**
 * Companies (tenants), cached in memory: they are read on every connection and rarely change.
 * Changes made by another process (the CLI) are read again within a second (`ExternalChanges`).
 */
export class CompanyRepository {
  private byId = new Map<string, Company>();
  private bySiteKey = new Map<string, Company>();
  private defaultId: string | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  /** Loads every company into the cache and creates the default company on first start. */
  async load(): Promise<void> {
    const rows = await this.db.selectFrom('companies').selectAll().execute();
    if (!rows.some((r) => r.is_default === 1)) {
      const row = {
        id: randomUUID(),
        name: 'Default company',
        site_key: newSiteKey(),
        api_key_hash: null,
        is_default: 1,
        created_at: new Date().toISOString(),
      };
      await this.db.insertInto('companies').values(row).execute();
      rows.push({ ...row, allowed_origins: '[]', settings: '{}' });
    }
    this.byId.clear();
    this.bySiteKey.clear();
    for (const row of rows) this.remember(toCompany(row));
  }

  /** Puts a company (new or changed) in the cache. */
  remember(company: Company): void {
    const old = this.byId.get(company.id);
    if (old) this.bySiteKey.delete(old.siteKey);
    this.byId.set(company.id, company);
    this.bySiteKey.set(company.siteKey, company);
    if (company.isDefault) this.defaultId = company.id;
  }

  /** Re-reads one company from the database after it changed. */
  async refresh(id: string): Promise<Company | undefined> {
    const row = await this.db.selectFrom('companies').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      const old = this.byId.get(id);
      if (old) this.bySiteKey.delete(old.siteKey);
      this.byId.delete(id);
      return undefined;
    }
    const company = toCompany(row);
    this.remember(company);
    return company;
  }

  /** The company that answers when no site key is given. */
  defaultCompany(): Company {
    const company = this.defaultId ? this.byId.get(this.defaultId) : undefined;
    if (!company) throw new Error('The default company is not loaded');
    return company;
  }

  byIdOrUndefined(id: string): Company | undefined {
    return this.byId.get(id);
  }

  /** Every company, oldest first. */
  list(): Company[] {
    return [...this.byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Creates a company with a fresh site key and API key. The key is returned this once. */
  async create(input: { name: string; allowedOrigins?: string[] | undefined }): Promise<{ company: Company; apiKey: string }> {
    const apiKey = newApiKey();
    const id = randomUUID();
    await this.db
      .insertInto('companies')
      .values({
        id,
        name: input.name,
        site_key: newSiteKey(),
        api_key_hash: hashApiKey(apiKey),
        allowed_origins: JSON.stringify(input.allowedOrigins ?? []),
        is_default: 0,
        created_at: new Date().toISOString(),
      })
      .execute();
    return { company: (await this.refresh(id))!, apiKey };
  }

  /** Removes a company and everything it owns (used to undo a half-made company). */
  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('companies').where('id', '=', id).where('is_default', '=', 0).execute();
    await this.refresh(id);
  }

  /** Renames a company, sets its origins, or rotates its keys; `apiKey` is the new key after a rotation. */
  async update(id: string, changes: CompanyChanges): Promise<{ company: Company; apiKey?: string }> {
    const apiKey = changes.rotateApiKey ? newApiKey() : undefined;
    const set = {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.allowedOrigins !== undefined ? { allowed_origins: JSON.stringify([...new Set(changes.allowedOrigins)]) } : {}),
      ...(changes.rotateSiteKey ? { site_key: newSiteKey() } : {}),
      ...(apiKey ? { api_key_hash: hashApiKey(apiKey) } : {}),
    };
    if (Object.keys(set).length) await this.db.updateTable('companies').set(set).where('id', '=', id).execute();
    const company = await this.refresh(id);
    if (!company) throw Errors.notFound('Company not found');
    return { company, ...(apiKey ? { apiKey } : {}) };
  }

  /** The company an API key belongs to, or undefined for an unknown key. */
  async byApiKey(key: string): Promise<Company | undefined> {
    const hash = hashApiKey(key);
    const row = await this.db.selectFrom('companies').select(['id', 'api_key_hash']).where('api_key_hash', '=', hash).executeTakeFirst();
    if (!row?.api_key_hash || !timingSafeEqual(Buffer.from(row.api_key_hash), Buffer.from(hash))) return undefined;
    return this.byId.get(row.id) ?? (await this.refresh(row.id));
  }

  /** The company of a public site key, or the default company when none is given. 404 for an unknown key. */
  resolveSite(siteKey: string | undefined): Company {
    if (siteKey === undefined || siteKey === '') return this.defaultCompany();
    const company = this.bySiteKey.get(siteKey);
    if (!company) throw Errors.notFound('Unknown site key');
    return company;
  }

  /** Whether any company accepts browser requests from `origin` (for CORS, before the company is known). */
  allowsOriginAnywhere(origin: string): boolean {
    for (const company of this.byId.values()) if (this.allowsOrigin(company, origin)) return true;
    return false;
  }

  /**
   * Whether a browser page at `origin` may talk to this company: any origin while its allowed
   * list is empty (the demo default); otherwise only listed ones. Requests without an Origin
   * header (servers, curl) are not browsers and are allowed here; API keys guard those routes.
   */
  allowsOrigin(company: Company, origin: string | undefined): boolean {
    if (origin === undefined || company.allowedOrigins.length === 0) return true;
    return company.allowedOrigins.includes(origin);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    companies: CompanyRepository;
  }
}

export default fp(
  async (app) => {
    const companies = new CompanyRepository(app.db);
    await companies.load();
    // `parley company add` run beside this server writes from another process.
    app.externalChanges.onChange(() => companies.load());
    app.decorate('companies', companies);
  },
  { name: 'companies', dependencies: ['database'] },
);
