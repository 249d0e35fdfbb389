import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';
import { ChatMessage, ConversationStatus, MessageRole } from '../messages.js';
import { Limits } from '../limits.js';
import { VisitorIdentity } from './identity.js';
import { UserId } from '../user-id.js';

/** A lead's values: flat strings, numbers and booleans. */
export const LeadData = Type.Record(Type.String({ maxLength: 100 }), Type.Union([Type.String(), Type.Number(), Type.Boolean()]));
export type LeadData = Static<typeof LeadData>;

/** What agents know of a visitor. */
export const VisitorView = Strict({
  ip: Type.Union([Type.String(), Type.Null()]),
  user_agent: Type.Union([Type.String(), Type.Null()]),
  last_seen_at: Type.Union([Type.String(), Type.Null()]),
  online: Type.Boolean(),
  /** Who the host page says the visitor is (`Parley.identify`), and whether that was verified. */
  identity: Type.Optional(VisitorIdentity),
});
export type VisitorView = Static<typeof VisitorView>;

/** The newest message of a chat, in plain text, for the inbox list. */
export const LastMessage = Strict({
  seq: Type.Integer(),
  role: MessageRole,
  text: Type.String(),
  created_at: Type.String(),
});
export type LastMessage = Static<typeof LastMessage>;

/** Why a conversation was handed to a person: the visitor asked, a flow step, an AI tool call, or an external bot. */
export const HandoffReason = Type.Union([Type.Literal('visitor'), Type.Literal('flow'), Type.Literal('ai'), Type.Literal('api')]);
export type HandoffReason = Static<typeof HandoffReason>;

/** The latest hand-off request of a conversation, with what the requester said (`context`, agents only). */
export const HandoffInfo = Strict({
  reason: HandoffReason,
  requested_at: Type.String(),
  context: Type.Optional(Type.String()),
});
export type HandoffInfo = Static<typeof HandoffInfo>;

/** One conversation as the agents' inbox shows it. */
export const ChatSummary = Strict({
  id: Type.String(),
  status: ConversationStatus,
  assignee: Type.Union([Strict({ id: Type.String(), name: Type.String() }), Type.Null()]),
  last_message: Type.Union([LastMessage, Type.Null()]),
  /** Visitor messages not yet read by an agent. */
  unread_count: Type.Integer({ minimum: 0 }),
  /** Place in the hand-off queue while `waiting` (1 = next). */
  queue_position: Type.Optional(Type.Integer({ minimum: 1 })),
  visitor: VisitorView,
  lead: Type.Union([LeadData, Type.Null()]),
  /** Set once the conversation was handed to a person (kept after it is resolved). */
  handoff: Type.Optional(HandoffInfo),
  created_at: Type.String(),
  updated_at: Type.String(),
});
export type ChatSummary = Static<typeof ChatSummary>;

/** `GET /api/chats` filters. `before` pages by `updated_at`. */
export const ChatListQuery = Strict({
  status: Type.Optional(ConversationStatus),
  assignee: Type.Optional(Type.String({ maxLength: 64, description: 'a user id, "me" or "none"' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  /** Only chats whose last activity is before this `updated_at` (the oldest you have: the next page). */
  before: Type.Optional(Type.String({ maxLength: 40 })),
  /** With `before`, the id of that oldest chat: chats with the same `updated_at` and a smaller id come next, so none is skipped. */
  before_id: Type.Optional(Type.String({ maxLength: 64 })),
});
export type ChatListQuery = Static<typeof ChatListQuery>;

/** `GET /api/chats`. */
export const ChatList = Strict({ chats: Type.Array(ChatSummary) });
export type ChatList = Static<typeof ChatList>;

/** `GET /api/chats/:id`: the summary plus the flow's variables (what the bot collected). */
export const ChatDetail = Strict({
  chat: ChatSummary,
  variables: Type.Record(Type.String(), Type.Unknown()),
  /** What the host page said of the visitor's context (`Parley.setAttributes`). */
  attributes: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
});
export type ChatDetail = Static<typeof ChatDetail>;

/** An internal note on a conversation: agents only, never shown to the visitor. */
export const NoteView = Strict({
  id: Type.String(),
  conversation_id: Type.String(),
  author: Strict({ id: Type.Union([Type.String(), Type.Null()]), name: Type.String() }),
  text: Type.String(),
  created_at: Type.String(),
});
export type NoteView = Static<typeof NoteView>;

/** `GET /api/chats/:id/notes`: oldest first. */
export const NoteList = Strict({ notes: Type.Array(NoteView) });
export type NoteList = Static<typeof NoteList>;

/** `POST /api/chats/:id/notes`: plain text, like a reply. */
export const CreateNoteRequest = Strict({ text: Type.String({ minLength: 1, maxLength: Limits.maxMessageChars }) });
export type CreateNoteRequest = Static<typeof CreateNoteRequest>;

/** The answer of `POST /api/chats/:id/notes`. */
export const NoteResponse = Strict({ note: NoteView });
export type NoteResponse = Static<typeof NoteResponse>;

/** `GET /api/chats/:id/transcript`: plain text (the default) or JSON, as a download. */
export const TranscriptQuery = Strict({ format: Type.Optional(Type.Union([Type.Literal('txt'), Type.Literal('json')])) });
export type TranscriptQuery = Static<typeof TranscriptQuery>;

/** The JSON transcript: the chat's summary and every message, oldest first. */
export const Transcript = Strict({ chat: ChatSummary, messages: Type.Array(ChatMessage) });
export type Transcript = Static<typeof Transcript>;

/** `POST /api/chats`: open a conversation for the caller's company (the bot greets first). */
export const CreateChatResponse = Strict({ chat: ChatSummary, chatbot_session: Type.String() });
export type CreateChatResponse = Static<typeof CreateChatResponse>;

/** `GET /api/messages/:conversationId?after=N&limit=M`. */
export const MessageListQuery = Strict({
  after: Type.Optional(Type.Integer({ minimum: 0 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
});
export type MessageListQuery = Static<typeof MessageListQuery>;

/** A message as agents see it, with when an agent read it. */
export const AgentMessage = Strict({ message: ChatMessage, read_at: Type.Union([Type.String(), Type.Null()]) });
export type AgentMessage = Static<typeof AgentMessage>;

/** Answer to `GET /api/messages/:conversationId`. */
export const MessageList = Strict({ conversation_id: Type.String(), messages: Type.Array(AgentMessage) });
export type MessageList = Static<typeof MessageList>;

/** `PATCH /api/messages/:id`: mark a visitor message (and every earlier one) read. */
export const MarkReadRequest = Strict({ read: Type.Literal(true) });
export type MarkReadRequest = Static<typeof MarkReadRequest>;

/** Answer to `PATCH /api/messages/:id`: the conversation is read up to `seq`. */
export const MarkReadResponse = Strict({
  conversation_id: Type.String(),
  seq: Type.Integer({ minimum: 1 }),
  unread_count: Type.Integer({ minimum: 0 }),
});
export type MarkReadResponse = Static<typeof MarkReadResponse>;

/** Answer to `POST /api/chats/:id/claim`, `/resolve` and `/return-to-bot`: the chat as it is now. */
export const ChatActionResponse = Strict({ chat: ChatSummary });
export type ChatActionResponse = Static<typeof ChatActionResponse>;

/** `POST /api/chats/:id/messages`: an agent's reply over REST (the same as a `reply` frame). */
export const AgentReplyRequest = Strict({
  text: Type.String({ minLength: 1, maxLength: Limits.maxMessageChars }),
  client_id: Type.Optional(Type.String({ pattern: Limits.clientIdPattern })),
});
export type AgentReplyRequest = Static<typeof AgentReplyRequest>;

/** Answer to `POST /api/chats/:id/messages`: the stored (committed) reply. */
export const AgentReplyResponse = Strict({ conversation_id: Type.String(), message: ChatMessage });
export type AgentReplyResponse = Static<typeof AgentReplyResponse>;

/** `GET /api/search?q=`: full-text search over the company's messages. */
export const SearchQuery = Strict({
  q: Type.String({ minLength: 1, maxLength: 200 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
export type SearchQuery = Static<typeof SearchQuery>;

/** One search hit: where, and a snippet with the match in `<mark>`. */
export const SearchHit = Strict({
  conversation_id: Type.String(),
  seq: Type.Integer(),
  role: MessageRole,
  snippet: Type.String(),
  created_at: Type.String(),
});
export type SearchHit = Static<typeof SearchHit>;

/** Answer to `GET /api/search`. */
export const SearchResponse = Strict({ results: Type.Array(SearchHit) });
export type SearchResponse = Static<typeof SearchResponse>;

/** A stored lead. */
export const LeadView = Strict({
  id: Type.String(),
  conversation_id: Type.Union([Type.String(), Type.Null()]),
  source: Type.Union([Type.Literal('flow'), Type.Literal('form'), Type.Literal('api')]),
  data: LeadData,
  created_at: Type.String(),
});
export type LeadView = Static<typeof LeadView>;

/**
 * `GET /api/leads` (`?format=csv` answers text/csv, `?format=jsonl` JSON Lines, instead). `from`
 * and `to` are ISO 8601 dates or timestamps (`to` is exclusive).
 */
export const LeadListQuery = Strict({
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('jsonl')])),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  conversation_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  from: Type.Optional(Type.String({ maxLength: 40 })),
  to: Type.Optional(Type.String({ maxLength: 40 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
});
export type LeadListQuery = Static<typeof LeadListQuery>;

/** Answer to `GET /api/leads`. */
export const LeadList = Strict({ leads: Type.Array(LeadView) });
export type LeadList = Static<typeof LeadList>;

/** `GET /api/leads/:id`: one lead and the conversation it came from (null for one posted by a site). */
export const LeadDetail = Strict({ lead: LeadView, conversation: Type.Union([ChatSummary, Type.Null()]) });
export type LeadDetail = Static<typeof LeadDetail>;

/**
 * The visitor data of a lead: any flat JSON object (string, number and boolean values; at most
 * `Limits.maxFormFields` keys and `Limits.maxLeadBytes` bytes). The server adds `timestamp`.
 */
export const LeadFields = Type.Record(Type.String({ pattern: '^[\\s\\S]{1,100}$' }), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
  additionalProperties: false,
});
export type LeadFields = Static<typeof LeadFields>;

/**
 * `POST /api/send-lead` (and `POST /send-lead`): the lead's fields as the body, or wrapped as
 * `{"userData": {...}}`, the way pages written for the Flask lead-capture system post them.
 */
export const SendLeadRequest = Type.Union([LeadFields, Strict({ userData: LeadFields })]);
export type SendLeadRequest = Static<typeof SendLeadRequest>;

/** Answer to `POST /api/send-lead`: always exactly `{"message":"Lead saved"}`. */
export const SendLeadResponse = Strict({ message: Type.Literal('Lead saved') });
export type SendLeadResponse = Static<typeof SendLeadResponse>;

/**
 * `POST /api/transfer_to_agent` (company API key): an external bot hands its user to a person.
 * `user_id` is that user's id in the caller's system (a string or an integer: `1` and `"1"` are one user); `context` what the agent should know.
 */
export const TransferToAgentRequest = Strict({
  user_id: UserId(128),
  company_id: Type.String({ minLength: 1, maxLength: 64 }),
  context: Type.Optional(Type.String({ maxLength: 8000 })),
});
export type TransferToAgentRequest = Static<typeof TransferToAgentRequest>;

/** Answer to `POST /api/transfer_to_agent`. */
export const TransferToAgentResponse = Strict({
  conversation_id: Type.String(),
  status: ConversationStatus,
  queue_position: Type.Optional(Type.Integer({ minimum: 1 })),
  /**
   * Only when the transfer opened a new conversation: its session, so the caller can relay its
   * user's messages (`POST /api/chatbot`) and read the agent's answers (`GET /api/chatbot/messages`
   * or the visitor WebSocket).
   */
  chatbot_session: Type.Optional(Type.String()),
});
export type TransferToAgentResponse = Static<typeof TransferToAgentResponse>;
