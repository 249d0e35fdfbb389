import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';

/**
 * Instance-wide lookups for the operator's CLI. Emails are unique across the instance, so finding
 * an account by email needs no company: the operator of the server is above every company.
 */
export class MaintenanceStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** The account with this email, with its company, or undefined. */
  async accountByEmail(email: string): Promise<{ id: string; companyId: string; email: string; disabled: boolean } | undefined> {
    const row = await this.db
      .selectFrom('users')
      .select(['id', 'company_id', 'email', 'disabled'])
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    return row ? { id: row.id, companyId: row.company_id, email: row.email, disabled: row.disabled === 1 } : undefined;
  }
}
