import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';
import { BotReply, FormId, FormValues } from '../components.js';
import { LeadData } from './chats.js';
import { Limits } from '../limits.js';
import { ChatMessage, ConversationStatus } from '../messages.js';

/** An opaque conversation session token, as issued by `GET /api/chatbot` or the `welcome` frame. */
export const SessionToken = Type.String({ pattern: Limits.sessionPattern });

/** `GET /api/chatbot?site=KEY`: `site` picks a company's bot; none means the default company. */
export const ChatbotStartQuery = Strict({ site: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })) });
export type ChatbotStartQuery = Static<typeof ChatbotStartQuery>;

/** The answer to `GET /api/chatbot`: the bot's first message and the new session. */
export const ChatbotStartResponse = Strict({
  BOT: BotReply,
  chatbot_session: Type.String(),
  is_terminal: Type.Boolean(),
});
export type ChatbotStartResponse = Static<typeof ChatbotStartResponse>;

/** A filled-in `form` component: its id and the values by field name. */
export const FormSubmission = Strict({ id: FormId, values: FormValues });
export type FormSubmission = Static<typeof FormSubmission>;

/**
 * `POST /api/chatbot`: the visitor's input. A button's value, a product's index or free text all go
 * in `message`; a filled-in form goes in `form` instead (exactly one of the two). The session
 * comes from here or from the session cookie.
 */
export const ChatbotMessageRequest = Strict({
  message: Type.Optional(Type.String({ minLength: 1, maxLength: Limits.maxMessageChars })),
  form: Type.Optional(FormSubmission),
  chatbot_session: Type.Optional(SessionToken),
  message_id: Type.Optional(Type.String({ pattern: Limits.clientIdPattern })),
});
export type ChatbotMessageRequest = Static<typeof ChatbotMessageRequest>;

/** A lead stored by this turn (a flow's `lead` step, a form with `lead: true`). */
export const SavedLead = Strict({ id: Type.String(), data: LeadData });
export type SavedLead = Static<typeof SavedLead>;

/** The bot's reply to one input, whether the conversation reached its end, and a lead it stored. */
export const ChatbotReply = Strict({ BOT: BotReply, is_terminal: Type.Boolean(), lead: Type.Optional(SavedLead) });
export type ChatbotReply = Static<typeof ChatbotReply>;

/**
 * `GET /api/chatbot/messages?after=N`: the stored messages of the caller's conversation after
 * sequence number N (for clients on the HTTP API that reload or catch up).
 */
export const ChatbotMessagesQuery = Strict({
  chatbot_session: Type.Optional(SessionToken),
  after: Type.Optional(Type.String({ pattern: '^[0-9]{1,12}$' })),
});
export type ChatbotMessagesQuery = Static<typeof ChatbotMessagesQuery>;

/** Answer to `GET /api/chatbot/messages`. */
export const ChatbotMessagesResponse = Strict({
  conversation_id: Type.String(),
  status: ConversationStatus,
  is_terminal: Type.Boolean(),
  last_seq: Type.Integer({ minimum: 0 }),
  messages: Type.Array(ChatMessage),
});
export type ChatbotMessagesResponse = Static<typeof ChatbotMessagesResponse>;

/** `POST /api/session-close/`. */
export const SessionCloseRequest = Strict({ chatbot_session: SessionToken });
export type SessionCloseRequest = Static<typeof SessionCloseRequest>;

/** Answer to `POST /api/session-close/`. */
export const SessionCloseResponse = Strict({ message: Type.String() });
export type SessionCloseResponse = Static<typeof SessionCloseResponse>;

/** The fixed body of any unexpected failure of the component chat API (HTTP 500). */
export const UNEXPECTED_ERROR_REPLY: ChatbotReply = {
  BOT: { components: [{ type: 'error', payload: { text: "I'm sorry, an unexpected error occurred. Please try again." } }] },
  is_terminal: true,
};
