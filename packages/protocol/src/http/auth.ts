import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';

/** What a person can do: `owner` runs the whole instance, `admin` manages one company, `agent` answers its chats. */
export const UserRole = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('agent')]);
export type UserRole = Static<typeof UserRole>;

/** A dashboard user, as the API shows it (never with a password hash). */
export const User = Strict({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: UserRole,
  company_id: Type.String(),
  avatar_url: Type.Optional(Type.String()),
  disabled: Type.Boolean(),
  created_at: Type.String(),
});
export type User = Static<typeof User>;

/** `POST /api/auth/login`. */
export const LoginRequest = Strict({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
});
export type LoginRequest = Static<typeof LoginRequest>;

/** A signed HS256 JWT (carrying company_id, user_id, role, exp) and who it is for. */
export const LoginResponse = Strict({ token: Type.String(), user: User, expires_at: Type.String() });
export type LoginResponse = Static<typeof LoginResponse>;

/** `GET /api/auth/verify`: the token's user, when the token is valid. */
export const VerifyResponse = Strict({ user: User, expires_at: Type.String() });
export type VerifyResponse = Static<typeof VerifyResponse>;

/** `POST /api/users` (admin): add an agent or admin to the caller's company. */
export const CreateUserRequest = Strict({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  name: Type.String({ minLength: 1, maxLength: 120 }),
  password: Type.String({ minLength: 8, maxLength: 200 }),
  role: Type.Union([Type.Literal('admin'), Type.Literal('agent')]),
  /** The owner only: add the account to this company instead of their own (its first admin, say). */
  company_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});
export type CreateUserRequest = Static<typeof CreateUserRequest>;

/** `PATCH /api/users/:id` (admin, or a user for their own name, avatar and password). */
export const UpdateUserRequest = Strict({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
  password: Type.Optional(Type.String({ minLength: 8, maxLength: 200 })),
  role: Type.Optional(Type.Union([Type.Literal('admin'), Type.Literal('agent')])),
  avatar_url: Type.Optional(Type.String({ maxLength: 2048 })),
  disabled: Type.Optional(Type.Boolean()),
});
export type UpdateUserRequest = Static<typeof UpdateUserRequest>;

/** Answer to `POST /api/users` and `PATCH /api/users/:id`. */
export const UserResponse = Strict({ user: User });
export type UserResponse = Static<typeof UserResponse>;

/** `GET /api/users`. */
export const UserList = Strict({ users: Type.Array(User) });
export type UserList = Static<typeof UserList>;
