import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import { generatePassword } from '../lib/password.js';
import { UserRepository } from '../accounts/users.js';
import { MaintenanceStore } from './store.js';

/**
 * Gives the account with this email a new generated password and returns it (the caller shows it
 * once). For an owner locked out of the dashboard: the operator runs it on the server's machine.
 */
export async function resetPassword(db: Kysely<Database>, email: string): Promise<{ email: string; password: string; disabled: boolean }> {
  const account = await new MaintenanceStore(db).accountByEmail(email);
  if (!account) throw new Error(`No account with the email ${email}`);
  const password = generatePassword();
  await new UserRepository(db).update(account.companyId, account.id, { password });
  return { email: account.email, password, disabled: account.disabled };
}
