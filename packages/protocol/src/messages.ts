import { Type, type Static } from 'typebox';
import { Strict } from './strict.js';
import { Component } from './components.js';

/** Who wrote a message. `system` carries notices such as hand-off state changes. */
export const MessageRole = Type.Union([
  Type.Literal('user'),
  Type.Literal('bot'),
  Type.Literal('agent'),
  Type.Literal('system'),
]);
export type MessageRole = Static<typeof MessageRole>;

/** Whether producing a message succeeded (an LLM reply that failed is stored with `error`). */
export const MessageStatus = Type.Union([Type.Literal('success'), Type.Literal('error')]);
export type MessageStatus = Static<typeof MessageStatus>;

/** Display name and optional avatar of a message's author (agents, the bot). */
export const Author = Strict({
  name: Type.String({ maxLength: 120 }),
  avatar_url: Type.Optional(Type.String({ maxLength: 2048 })),
});
export type Author = Static<typeof Author>;

/**
 * One stored message of a conversation as clients see it. `seq` is dense per conversation
 * (1, 2, 3 ...), so a client that has seen up to `seq` N asks for everything after N.
 */
export const ChatMessage = Strict({
  seq: Type.Integer({ minimum: 1 }),
  id: Type.String(),
  client_id: Type.Optional(Type.String()),
  role: MessageRole,
  author: Type.Optional(Author),
  components: Type.Array(Component),
  created_at: Type.String({ description: 'ISO 8601 timestamp' }),
  status: Type.Optional(MessageStatus),
});
export type ChatMessage = Static<typeof ChatMessage>;

/**
 * Where a conversation is: answered by the bot, waiting for a person, with an agent, resolved by an
 * agent (the bot answers again), or closed for good.
 */
export const ConversationStatus = Type.Union([
  Type.Literal('bot'),
  Type.Literal('waiting'),
  Type.Literal('agent'),
  Type.Literal('resolved'),
  Type.Literal('closed'),
]);
export type ConversationStatus = Static<typeof ConversationStatus>;
