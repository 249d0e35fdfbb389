import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';
import { Limits } from '../limits.js';
import { ChatMessage } from '../messages.js';
import { User } from '../http/auth.js';
import { ChatSummary, HandoffReason, NoteView } from '../http/chats.js';

/*
 * The agent channel, `/ws/agent?token=JWT`. Every event is scoped to the agent's company: an
 * agent never receives anything about another company's conversations.
 */

const ConversationId = Type.String({ minLength: 1, maxLength: 64 });
const ClientId = Type.String({ pattern: Limits.clientIdPattern });

// ---- agent -> server ---------------------------------------------------------------------------

/** A reply to a visitor. Sending it to a conversation nobody claimed claims it for the sender. */
export const AgentReplyFrame = Strict({
  type: Type.Literal('reply'),
  id: ClientId,
  conversation_id: ConversationId,
  text: Type.String({ minLength: 1, maxLength: Limits.maxMessageChars }),
});
export type AgentReplyFrame = Static<typeof AgentReplyFrame>;

/** The agent started or stopped typing in a conversation (the visitor sees it). */
export const AgentTypingFrame = Strict({ type: Type.Literal('typing'), conversation_id: ConversationId, on: Type.Boolean() });
export type AgentTypingFrame = Static<typeof AgentTypingFrame>;

/** The agent has read the conversation up to `seq`. */
export const AgentReadFrame = Strict({ type: Type.Literal('read'), conversation_id: ConversationId, seq: Type.Integer({ minimum: 1 }) });
export type AgentReadFrame = Static<typeof AgentReadFrame>;

/** The agent takes a conversation (waiting, or back from the bot). */
export const AgentClaimFrame = Strict({ type: Type.Literal('claim'), conversation_id: ConversationId });
export type AgentClaimFrame = Static<typeof AgentClaimFrame>;

/** Heartbeat, answered with `pong`. */
export const AgentPingFrame = Strict({ type: Type.Literal('ping'), t: Type.Optional(Type.Number()) });
export type AgentPingFrame = Static<typeof AgentPingFrame>;

/** Every frame an agent may send. */
export const AgentClientFrame = Type.Union([AgentReplyFrame, AgentTypingFrame, AgentReadFrame, AgentClaimFrame, AgentPingFrame]);
export type AgentClientFrame = Static<typeof AgentClientFrame>;

// ---- server -> agent ---------------------------------------------------------------------------

/** First frame: who the server thinks the agent is, and which agents of the company are online. */
export const AgentReadyFrame = Strict({
  type: Type.Literal('ready'),
  user: User,
  online_agents: Type.Array(Strict({ id: Type.String(), name: Type.String() })),
});
export type AgentReadyFrame = Static<typeof AgentReadyFrame>;

/** A conversation was created or changed (status, assignee, last message, unread count). */
export const AgentConversationFrame = Strict({ type: Type.Literal('conversation'), chat: ChatSummary });
export type AgentConversationFrame = Static<typeof AgentConversationFrame>;

/** A conversation was deleted (by an admin, or by the retention policy): drop it and its messages. */
export const AgentConversationDeletedFrame = Strict({ type: Type.Literal('conversation_deleted'), conversation_id: Type.String() });
export type AgentConversationDeletedFrame = Static<typeof AgentConversationDeletedFrame>;

/** An agent wrote (`note`) or removed (`note_deleted`) an internal note; visitors never see notes. */
export const AgentNoteFrame = Strict({ type: Type.Literal('note'), conversation_id: Type.String(), note: NoteView });
export type AgentNoteFrame = Static<typeof AgentNoteFrame>;
export const AgentNoteDeletedFrame = Strict({ type: Type.Literal('note_deleted'), conversation_id: Type.String(), note_id: Type.String() });
export type AgentNoteDeletedFrame = Static<typeof AgentNoteDeletedFrame>;

/** A new message in a conversation of the company (visitor, bot, agent or system). */
export const AgentMessageFrame = Strict({ type: Type.Literal('message'), conversation_id: Type.String(), message: ChatMessage });
export type AgentMessageFrame = Static<typeof AgentMessageFrame>;

/** Someone is typing: the visitor (`user`) or another agent. */
export const AgentSideTypingFrame = Strict({
  type: Type.Literal('typing'),
  conversation_id: Type.String(),
  role: Type.Union([Type.Literal('user'), Type.Literal('agent')]),
  on: Type.Boolean(),
  name: Type.Optional(Type.String()),
});
export type AgentSideTypingFrame = Static<typeof AgentSideTypingFrame>;

/** A visitor connected or left (presence). */
export const VisitorPresenceFrame = Strict({ type: Type.Literal('presence'), conversation_id: Type.String(), online: Type.Boolean() });
export type VisitorPresenceFrame = Static<typeof VisitorPresenceFrame>;

/** An agent of the company came online or went offline (all tabs closed). */
export const AgentPresenceFrame = Strict({
  type: Type.Literal('agent_presence'),
  user_id: Type.String(),
  name: Type.String(),
  online: Type.Boolean(),
});
export type AgentPresenceFrame = Static<typeof AgentPresenceFrame>;

/** A visitor asked for a person (or a flow, an AI or an external bot handed them over). */
export const HandoffRequestedFrame = Strict({
  type: Type.Literal('handoff'),
  chat: ChatSummary,
  reason: HandoffReason,
});
export type HandoffRequestedFrame = Static<typeof HandoffRequestedFrame>;

/** The agent's reply `id` is committed as `seq` in the conversation. */
export const AgentAckFrame = Strict({
  type: Type.Literal('ack'),
  id: Type.String(),
  conversation_id: Type.String(),
  seq: Type.Integer({ minimum: 1 }),
});
export type AgentAckFrame = Static<typeof AgentAckFrame>;

/** An agent (maybe this one, in another tab) read a conversation up to `seq`. */
export const AgentReadReceiptFrame = Strict({
  type: Type.Literal('read'),
  conversation_id: Type.String(),
  seq: Type.Integer({ minimum: 1 }),
  user_id: Type.String(),
});
export type AgentReadReceiptFrame = Static<typeof AgentReadReceiptFrame>;

/** A problem with a frame; `id` names the reply it refers to. */
export const AgentErrorFrame = Strict({
  type: Type.Literal('error'),
  code: Type.String(),
  message: Type.String(),
  id: Type.Optional(Type.String()),
});
export type AgentErrorFrame = Static<typeof AgentErrorFrame>;

/** Answer to `ping`. */
export const AgentPongFrame = Strict({ type: Type.Literal('pong'), t: Type.Optional(Type.Number()) });
export type AgentPongFrame = Static<typeof AgentPongFrame>;

/** Every frame the server may send to an agent. */
export const AgentServerFrame = Type.Union([
  AgentReadyFrame,
  AgentConversationFrame,
  AgentConversationDeletedFrame,
  AgentNoteFrame,
  AgentNoteDeletedFrame,
  AgentMessageFrame,
  AgentSideTypingFrame,
  VisitorPresenceFrame,
  AgentPresenceFrame,
  HandoffRequestedFrame,
  AgentAckFrame,
  AgentReadReceiptFrame,
  AgentErrorFrame,
  AgentPongFrame,
]);
export type AgentServerFrame = Static<typeof AgentServerFrame>;
