import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';
import { Limits } from '../limits.js';
import { UserId } from '../user-id.js';

/**
 * Who a visitor is, as the host page says (`Parley.identify`). Verified with either `hash`, the
 * hex HMAC-SHA256 of `user_id` keyed with the company's identity secret, or `token`, a short-lived
 * HS256 JWT signed with that secret (`sub` = the user id, optional `name` and `email`, `exp` at
 * most an hour ahead). Without either, or when they do not check out, the identity is kept as
 * **unverified**: shown to agents as such, and never a key to another conversation.
 */
export const IdentityClaim = Strict({
  /** A string or an integer (`1` and `"1"` are the same user). */
  user_id: Type.Optional(UserId(256)),
  name: Type.Optional(Type.String({ maxLength: 200 })),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  hash: Type.Optional(Type.String({ maxLength: 128 })),
  token: Type.Optional(Type.String({ maxLength: 4096 })),
});
export type IdentityClaim = Static<typeof IdentityClaim>;

/** What agents see of an identified visitor. */
export const VisitorIdentity = Strict({
  user_id: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  /** True only when the host site's hash or token checked out. */
  verified: Type.Boolean(),
  identified_at: Type.String(),
});
export type VisitorIdentity = Static<typeof VisitorIdentity>;

/**
 * `POST /api/identify`: the HTTP equivalent of the `identify` frame for clients on the component
 * chat API. The session comes from the body or the session cookie.
 */
export const IdentifyRequest = Strict({
  chatbot_session: Type.Optional(Type.String({ pattern: Limits.sessionPattern })),
  ...IdentityClaim.properties,
});
export type IdentifyRequest = Static<typeof IdentifyRequest>;

/**
 * Answer to `POST /api/identify`. `chatbot_session` is the session to use from now on: a new one,
 * with `switched: true`, when a verified visitor's open conversation was elsewhere (another device).
 */
export const IdentifyResponse = Strict({
  verified: Type.Boolean(),
  user_id: Type.Optional(Type.String()),
  error: Type.Optional(Type.String()),
  chatbot_session: Type.String(),
  conversation_id: Type.String(),
  switched: Type.Boolean(),
});
export type IdentifyResponse = Static<typeof IdentifyResponse>;

/** A company's identity verification settings, as its admins see them (secret included). */
export const IdentitySettingsView = Strict({
  /** The key the host site's server signs with. Keep it on the server, never in a page. */
  secret: Type.String(),
  /** Refuse identities that are not verified (they are then not stored at all). */
  enforce: Type.Boolean(),
  rotated_at: Type.String(),
});
export type IdentitySettingsView = Static<typeof IdentitySettingsView>;

/** `PATCH /api/identity` (admin): require verification, or make a new secret (the old one stops at once). */
export const UpdateIdentitySettingsRequest = Strict({
  enforce: Type.Optional(Type.Boolean()),
  rotate_secret: Type.Optional(Type.Boolean()),
});
export type UpdateIdentitySettingsRequest = Static<typeof UpdateIdentitySettingsRequest>;
