import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';

/*
 * Saved replies: a company's canned answers. Agents pick one in the composer by typing `/` and
 * its shortcut; admins manage them. docs/agents.md lists the routes.
 */

/** What an agent types after `/`: lowercase letters, digits, `-` and `_`, starting with a letter or digit. */
export const SavedReplyShortcut = Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z0-9][a-z0-9_-]*$' });

/** The text a saved reply puts in the composer (plain text, like an agent's reply). */
export const SavedReplyText = Type.String({ minLength: 1, maxLength: 2000 });

/** A saved reply as the API shows it. */
export const SavedReplyView = Strict({
  id: Type.String(),
  shortcut: Type.String(),
  text: Type.String(),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type SavedReplyView = Static<typeof SavedReplyView>;

/** `GET /api/saved-replies` (every agent of the company), by shortcut. */
export const SavedReplyList = Strict({ replies: Type.Array(SavedReplyView) });
export type SavedReplyList = Static<typeof SavedReplyList>;

/** `POST /api/saved-replies` (admin). */
export const CreateSavedReplyRequest = Strict({ shortcut: SavedReplyShortcut, text: SavedReplyText });
export type CreateSavedReplyRequest = Static<typeof CreateSavedReplyRequest>;

/** `PATCH /api/saved-replies/:id` (admin). */
export const UpdateSavedReplyRequest = Strict({ shortcut: Type.Optional(SavedReplyShortcut), text: Type.Optional(SavedReplyText) });
export type UpdateSavedReplyRequest = Static<typeof UpdateSavedReplyRequest>;

/** The answer of `POST` and `PATCH`. */
export const SavedReplyResponse = Strict({ reply: SavedReplyView });
export type SavedReplyResponse = Static<typeof SavedReplyResponse>;
