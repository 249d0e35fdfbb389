/** Agents' accounts: users and their roles, sign-in with a JWT, and the per-account rate limit. */
export { default as users, UserRepository, DEFAULT_ADMIN_EMAIL, toUserView, type AuthUser, type UserChanges, type FirstStartCredentials } from './users.js';
export { default as auth, AuthService, hasRole, perAccount, type TokenClaims } from './auth.js';
export { default as authRoutes } from './auth.routes.js';
export { default as userRoutes } from './users.routes.js';
