import { Type, type Static } from 'typebox';
import { Strict } from '../strict.js';
import { Limits } from '../limits.js';
import { ChatMessage, ConversationStatus } from '../messages.js';
import { SessionToken } from '../http/chatbot.js';
import { FormId, FormValues } from '../components.js';
import { LeadData } from '../http/chats.js';
import { IdentityClaim } from '../http/identity.js';
import { PageAttributes } from '../attributes.js';

/*
 * The visitor channel, `/ws?site=KEY`. Frames are JSON text, one object each, discriminated on
 * `type`. See docs/protocol.md for the conversation they make.
 */

/** A client-chosen message id: resending a frame with the same id stores and answers it once. */
export const ClientMessageId = Type.String({ pattern: Limits.clientIdPattern });

// ---- visitor -> server -------------------------------------------------------------------------

/**
 * First frame on every connection. Without `session` a new conversation starts; with it the
 * conversation resumes and every message after `last_seq` is replayed in order.
 */
export const HelloFrame = Strict({
  type: Type.Literal('hello'),
  session: Type.Optional(SessionToken),
  last_seq: Type.Optional(Type.Integer({ minimum: 0 })),
  locale: Type.Optional(Type.String({ maxLength: 35 })),
  /**
   * Who the visitor is, as the host page says (`Parley.identify`). A verified identity may resume
   * that visitor's open conversation from another device; see docs/identity.md.
   */
  identity: Type.Optional(IdentityClaim),
  /** Page attributes set before the connection opened (`Parley.setAttributes`). */
  attributes: Type.Optional(PageAttributes),
});
export type HelloFrame = Static<typeof HelloFrame>;

/** Free text typed by the visitor. */
export const UserMessageFrame = Strict({
  type: Type.Literal('message'),
  id: ClientMessageId,
  text: Type.String({ minLength: 1, maxLength: Limits.maxMessageChars }),
});
export type UserMessageFrame = Static<typeof UserMessageFrame>;

/** A click: a button's value, or a product's index (as a decimal string), or an uploaded image URL. */
export const ActionFrame = Strict({
  type: Type.Literal('action'),
  id: ClientMessageId,
  value: Type.String({ minLength: 1, maxLength: 2048 }),
});
export type ActionFrame = Static<typeof ActionFrame>;

/** The visitor started or stopped typing. */
export const TypingFrame = Strict({ type: Type.Literal('typing'), on: Type.Boolean() });
export type TypingFrame = Static<typeof TypingFrame>;

/**
 * An `action` with this value asks for a person, like the `handoff` frame; bots offer it as a
 * button (for example after an AI failure).
 */
export const HANDOFF_ACTION = 'parley:handoff';

/**
 * The start of the action value of the "Yes" under an `article` answer ("Did that answer your
 * question?"): `parley:helpful:<article id>`. The bot thanks the visitor and counts the vote.
 */
export const HELPFUL_ACTION = 'parley:helpful:';

/** The visitor asks for a person (the widget's "Talk to a person" button). Stored like a message. */
export const HandoffFrame = Strict({ type: Type.Literal('handoff'), id: ClientMessageId });
export type HandoffFrame = Static<typeof HandoffFrame>;

/**
 * The visitor filled in a `form` component: `form` is the component's id, `values` what they
 * entered by field name. Idempotent by `id`, like a message; answered with `ack`, then the bot's
 * reply (an `error` naming each wrong field and the form again, or the next step).
 */
export const FormFrame = Strict({
  type: Type.Literal('form'),
  id: ClientMessageId,
  form: FormId,
  values: FormValues,
});
export type FormFrame = Static<typeof FormFrame>;

/**
 * The host page identified the visitor after `hello` (`Parley.identify`). Answered with an
 * `identity` frame, and with a new `welcome` when a verified visitor's open conversation is
 * elsewhere (another device): the connection moves to it.
 */
export const IdentifyFrame = Strict({ type: Type.Literal('identify'), ...IdentityClaim.properties });
export type IdentifyFrame = Static<typeof IdentifyFrame>;

/**
 * The host page set attributes of the visitor's context (`Parley.setAttributes`). Merged into the
 * conversation's attributes (`null` removes a key); answered with an `error` when over the caps.
 */
export const AttributesFrame = Strict({ type: Type.Literal('attributes'), attributes: PageAttributes });
export type AttributesFrame = Static<typeof AttributesFrame>;

/** Application-level heartbeat for clients that cannot send protocol pings (browsers). */
export const PingFrame = Strict({ type: Type.Literal('ping'), t: Type.Optional(Type.Number()) });
export type PingFrame = Static<typeof PingFrame>;

/** Every frame a visitor may send. */
export const VisitorClientFrame = Type.Union([
  HelloFrame,
  UserMessageFrame,
  ActionFrame,
  FormFrame,
  HandoffFrame,
  IdentifyFrame,
  TypingFrame,
  PingFrame,
  AttributesFrame,
]);
export type VisitorClientFrame = Static<typeof VisitorClientFrame>;

// ---- server -> visitor -------------------------------------------------------------------------

/** Answer to `hello`: the session to keep, and the newest sequence number of the conversation. */
export const WelcomeFrame = Strict({
  type: Type.Literal('welcome'),
  session: Type.String(),
  conversation_id: Type.String(),
  status: ConversationStatus,
  last_seq: Type.Integer({ minimum: 0 }),
  is_terminal: Type.Boolean(),
  resumed: Type.Boolean(),
});
export type WelcomeFrame = Static<typeof WelcomeFrame>;

/**
 * A stored message: the bot's, an agent's, a system notice, or the visitor's own from another tab.
 * `stream_id` names the `stream` frames this message completes (the client replaces them with it).
 */
export const MessageFrame = Strict({
  type: Type.Literal('message'),
  message: ChatMessage,
  is_terminal: Type.Optional(Type.Boolean()),
  stream_id: Type.Optional(Type.String()),
});
export type MessageFrame = Static<typeof MessageFrame>;

/** The visitor's message `id` is committed to the database as sequence number `seq`. */
export const AckFrame = Strict({ type: Type.Literal('ack'), id: Type.String(), seq: Type.Integer({ minimum: 1 }) });
export type AckFrame = Static<typeof AckFrame>;

/**
 * A piece of a reply still being written (an AI answer, token by token). Plain text, shown as
 * text; the final `message` with the same `stream_id` replaces it. Never stored on its own.
 */
export const StreamFrame = Strict({
  type: Type.Literal('stream'),
  stream_id: Type.String(),
  delta: Type.String(),
});
export type StreamFrame = Static<typeof StreamFrame>;

/** The bot or an agent is typing (or stopped). */
export const ServerTypingFrame = Strict({
  type: Type.Literal('typing'),
  role: Type.Union([Type.Literal('bot'), Type.Literal('agent')]),
  on: Type.Boolean(),
  name: Type.Optional(Type.String()),
});
export type ServerTypingFrame = Static<typeof ServerTypingFrame>;

/** The conversation changed state (hand-off requested, agent joined, resolved). */
export const StateFrame = Strict({
  type: Type.Literal('state'),
  status: ConversationStatus,
  position: Type.Optional(Type.Integer({ minimum: 1 })),
  agent: Type.Optional(Strict({ name: Type.String() })),
});
export type StateFrame = Static<typeof StateFrame>;

/**
 * Something was wrong with a frame. `id` names the client message it refers to, when there is one.
 * The connection stays open unless the server closes it with 1008 (policy) or 1009 (too big).
 */
export const ErrorFrame = Strict({
  type: Type.Literal('error'),
  code: Type.String(),
  message: Type.String(),
  id: Type.Optional(Type.String()),
});
export type ErrorFrame = Static<typeof ErrorFrame>;

/** A lead was stored from what the visitor gave (a flow's `lead` step, a form): its id and values. */
export const LeadFrame = Strict({ type: Type.Literal('lead'), id: Type.String(), data: LeadData });
export type LeadFrame = Static<typeof LeadFrame>;

/**
 * The outcome of an identity (in `hello` or `identify`): `verified` when its hash or token checked
 * out against the company's identity secret; otherwise it is kept as unverified and `error` says
 * why verification failed (none when no hash or token was given).
 */
export const IdentityFrame = Strict({
  type: Type.Literal('identity'),
  user_id: Type.Optional(Type.String()),
  verified: Type.Boolean(),
  error: Type.Optional(Type.String()),
});
export type IdentityFrame = Static<typeof IdentityFrame>;

/**
 * Whether an agent of the company is connected (`online`), sent after `welcome` and whenever
 * that changes, so the widget can say a person is around.
 */
export const AvailabilityFrame = Strict({ type: Type.Literal('availability'), online: Type.Boolean() });
export type AvailabilityFrame = Static<typeof AvailabilityFrame>;

/** Answer to `ping`, echoing its `t`. */
export const PongFrame = Strict({ type: Type.Literal('pong'), t: Type.Optional(Type.Number()) });
export type PongFrame = Static<typeof PongFrame>;

/** Every frame the server may send to a visitor. Clients ignore frame types they do not know. */
export const VisitorServerFrame = Type.Union([
  WelcomeFrame,
  MessageFrame,
  StreamFrame,
  AckFrame,
  ServerTypingFrame,
  StateFrame,
  LeadFrame,
  IdentityFrame,
  ErrorFrame,
  PongFrame,
  AvailabilityFrame,
]);
export type VisitorServerFrame = Static<typeof VisitorServerFrame>;

