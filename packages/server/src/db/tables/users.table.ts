import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { UserRole } from '@parley/protocol';

/** A dashboard account: the instance owner, a company admin or an agent. */
export interface UsersTable {
  id: string;
  company_id: string;
  /** Lower-cased; unique across the instance. */
  email: string;
  name: string;
  role: UserRole;
  /** `scrypt$N$r$p$salt$hash` (see lib/password.ts); never leaves the server. */
  password_hash: string;
  avatar_url: string | null;
  /** 1 when the account may no longer sign in (its tokens stop working too). */
  disabled: Generated<number>;
  created_at: string;
  updated_at: string;
}
export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
