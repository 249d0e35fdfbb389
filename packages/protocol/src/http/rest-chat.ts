import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';
import { Limits } from '../limits.js';
import { UserId } from '../user-id.js';

/**
 * `POST /api/chat-message`: the REST chat API for headless clients (a phone app, a messaging
 * bridge). Without `conversation_id` (or with an empty one) a new conversation starts.
 * The same `message_id` sent twice is stored once and answered once.
 */
export const RestChatMessageRequest = Strict({
  message: Type.String({ minLength: 1, maxLength: Limits.maxMessageChars }),
  /** The user's id in your system, a string or an integer (`1` and `"1"` are the same user). */
  user_id: UserId(128),
  message_id: Type.String({ pattern: Limits.clientIdPattern }),
  /** How many messages the client has seen in the conversation (informational). */
  message_count: Type.Integer({ minimum: 0 }),
  conversation_id: Type.Optional(Type.String({ maxLength: 64 })),
});
export type RestChatMessageRequest = Static<typeof RestChatMessageRequest>;

/** The bot's whole reply as readable plain text: texts first, then options as a list. */
export const RestChatMessageResponse = Strict({ message: Type.String(), conversation_id: Type.String() });
export type RestChatMessageResponse = Static<typeof RestChatMessageResponse>;

/** One turn of a conversation's history, in the roles chat-completion APIs use. */
export const RestHistoryEntry = Strict({
  role: Type.Union([Type.Literal('user'), Type.Literal('assistant')]),
  message: Type.String(),
});
export type RestHistoryEntry = Static<typeof RestHistoryEntry>;

/** `GET /api/get-conversation-history/:conversation_id`. */
export const RestHistoryResponse = Strict({
  conversation_id: Type.String(),
  message_count: Type.Integer({ minimum: 0 }),
  messages: Type.Array(RestHistoryEntry),
});
export type RestHistoryResponse = Static<typeof RestHistoryResponse>;
