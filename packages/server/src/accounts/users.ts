import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { User, UserRole } from '@parley/protocol';
import type { Database } from '../db/database.js';
import type { UserRow } from '../db/tables/index.js';
import type { ParleyConfig } from '../config.js';
import { Errors } from '../errors.js';
import { DUMMY_PASSWORD_HASH, generatePassword, hashPassword, verifyPassword } from '../lib/password.js';

/** The default owner email when `PARLEY_ADMIN_EMAIL` is not set. */
export const DEFAULT_ADMIN_EMAIL = 'admin@parley.local';

/** A signed-in person as the server works with them. */
export interface AuthUser {
  id: string;
  companyId: string;
  email: string;
  name: string;
  role: UserRole;
  avatarUrl: string | null;
}

/** What may change on an account. */
export interface UserChanges {
  name?: string | undefined;
  password?: string | undefined;
  role?: 'admin' | 'agent' | undefined;
  avatarUrl?: string | undefined;
  disabled?: boolean | undefined;
}

/** Credentials made on first start; the CLI prints them once. */
export interface FirstStartCredentials {
  email: string;
  /** Only when the password was generated (not given by `PARLEY_ADMIN_PASSWORD`). */
  password?: string;
}

/** The API view of a user row (never the password hash). */
export function toUserView(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    company_id: row.company_id,
    ...(row.avatar_url ? { avatar_url: row.avatar_url } : {}),
    disabled: row.disabled === 1,
    created_at: row.created_at,
  };
}

function toAuthUser(row: UserRow): AuthUser {
  return { id: row.id, companyId: row.company_id, email: row.email, name: row.name, role: row.role, avatarUrl: row.avatar_url };
}

/** Emails are compared and stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Dashboard accounts. Every query that reads or changes another account takes the caller's
 * company, so no admin ever reaches another company's users.
 */
export class UserRepository {
  /** Set on the first start that created the owner; read once by the CLI. */
  firstStart: FirstStartCredentials | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  /** Creates the instance owner in the default company when there is no owner yet. */
  async ensureOwner(companyId: string, config: Pick<ParleyConfig, 'adminEmail' | 'adminPassword'>): Promise<void> {
    const owner = await this.db.selectFrom('users').select('id').where('role', '=', 'owner').executeTakeFirst();
    if (owner) return;
    const email = config.adminEmail ?? DEFAULT_ADMIN_EMAIL;
    const password = config.adminPassword ?? generatePassword();
    const existing = await this.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    if (existing) {
      // An account with this email exists already (made before owners existed): promote it.
      await this.db.updateTable('users').set({ role: 'owner', company_id: companyId, updated_at: new Date().toISOString() }).where('id', '=', existing.id).execute();
      return;
    }
    await this.create(companyId, { email, name: 'Owner', password, role: 'owner' });
    this.firstStart = { email, ...(config.adminPassword ? {} : { password }) };
  }

  /**
   * The account behind an email and password, or undefined. Unknown emails cost a full scrypt
   * check too, so timing does not tell which emails exist. Disabled accounts never sign in.
   */
  async checkPassword(email: string, password: string): Promise<AuthUser | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_PASSWORD_HASH);
    return row && ok && row.disabled === 0 ? toAuthUser(row) : undefined;
  }

  /** The enabled account a token names, checked against the token's company. */
  async active(id: string, companyId: string): Promise<AuthUser | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .where('disabled', '=', 0)
      .executeTakeFirst();
    return row ? toAuthUser(row) : undefined;
  }

  /** One account of a company; 404 when it is not there (or belongs to another company). */
  async get(companyId: string, id: string): Promise<User> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
    if (!row) throw Errors.notFound('User not found');
    return toUserView(row);
  }

  /** A company's accounts, oldest first. */
  async list(companyId: string): Promise<User[]> {
    const rows = await this.db.selectFrom('users').selectAll().where('company_id', '=', companyId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toUserView);
  }

  /** Names of a company's accounts by id (for assignees). */
  async names(companyId: string, ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('users').select(['id', 'name']).where('company_id', '=', companyId).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** Whether an email is taken anywhere on the instance. */
  async emailTaken(email: string): Promise<boolean> {
    return !!(await this.db.selectFrom('users').select('id').where('email', '=', normalizeEmail(email)).executeTakeFirst());
  }

  /** Adds an account to a company; 409 when the email is taken. */
  async create(
    companyId: string,
    input: { email: string; name: string; password: string; role: UserRole; avatarUrl?: string | undefined },
  ): Promise<User> {
    const email = normalizeEmail(input.email);
    if (await this.emailTaken(email)) throw Errors.conflict('An account with this email already exists');
    const now = new Date().toISOString();
    const row: UserRow = {
      id: randomUUID(),
      company_id: companyId,
      email,
      name: input.name.trim(),
      role: input.role,
      password_hash: await hashPassword(input.password),
      avatar_url: input.avatarUrl ?? null,
      disabled: 0,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.insertInto('users').values(row).execute();
    } catch (error) {
      // Two sign-ups with one email at once: SQLite's unique-constraint code, or PostgreSQL's 23505.
      const code = (error as { code?: unknown }).code;
      if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505' || String((error as Error).message).includes('UNIQUE')) {
        throw Errors.conflict('An account with this email already exists');
      }
      throw error;
    }
    return toUserView(row);
  }

  /** Changes an account of a company; 404 when it is not there. */
  async update(companyId: string, id: string, changes: UserChanges): Promise<User> {
    const set = {
      ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
      ...(changes.password !== undefined ? { password_hash: await hashPassword(changes.password) } : {}),
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.avatarUrl !== undefined ? { avatar_url: changes.avatarUrl || null } : {}),
      ...(changes.disabled !== undefined ? { disabled: changes.disabled ? 1 : 0 } : {}),
      updated_at: new Date().toISOString(),
    };
    const result = await this.db.updateTable('users').set(set).where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw Errors.notFound('User not found');
    return this.get(companyId, id);
  }

  /** Deletes an account of a company; 404 when it is not there. */
  async remove(companyId: string, id: string): Promise<void> {
    const result = await this.db.deleteFrom('users').where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) throw Errors.notFound('User not found');
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Dashboard accounts (owner, admins, agents). */
    users: UserRepository;
  }
}

/** Loads accounts and, on first start, gives the default company its owner. */
export default fp(
  async (app) => {
    const users = new UserRepository(app.db);
    await users.ensureOwner(app.companies.defaultCompany().id, app.config);
    app.decorate('users', users);
  },
  { name: 'users', dependencies: ['database', 'companies'] },
);
