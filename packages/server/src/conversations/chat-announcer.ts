import type { ChatMessage, ConversationStatus } from '@parley/protocol';
import { topics, type BusEvent, type EventBus } from '../core/bus.js';
import type { RecordOptions } from './chat-types.js';
import type { LiveConversation } from './conversations.js';
import type { Outbox } from '../core/outbox.js';
import { probes } from '../core/probes.js';
import { perform, type Work, type WriteEffect } from '../db/step.js';

/**
 * What the chat service tells the rest of the server: inside a write, the outbox events its
 * messages carry (webhooks); after the commit, the bus events visitors and agents see (messages,
 * state changes, typing, streamed AI text), on the conversation's topic and its company's.
 */
export class ChatAnnouncer {
  constructor(
    private readonly bus: EventBus,
    private readonly outbox: Outbox,
  ) {}

  /**
   * Inside the write that stores them: the messages' events for the outbox (webhooks). Nothing to
   * run (undefined) when no one wants them, as on most turns.
   */
  recordMessages(conversation: LiveConversation, messages: ChatMessage[]): WriteEffect {
    // A "Try it" conversation sends no webhooks.
    if (conversation.isTest || !this.outbox.wanted(conversation.companyId, 'message')) return undefined;
    return this.recordEach(conversation, messages);
  }

  private *recordEach(conversation: LiveConversation, messages: ChatMessage[]): Work<void> {
    const { id: conversationId, companyId } = conversation;
    for (const message of messages) {
      yield* perform(this.outbox.add(companyId, 'message', () => ({ type: 'message', conversationId, companyId, message, isTerminal: conversation.isTerminal })));
    }
  }

  /** Publishes committed messages; `streamId` marks the first bot message as the end of that stream. */
  messages(conversation: LiveConversation, messages: ChatMessage[], origin?: string, streamId?: string): void {
    const streamed = streamId ? messages.find((m) => m.role === 'bot') : undefined;
    const conversationTopic = topics.conversation(conversation.id);
    const companyTopic = topics.company(conversation.companyId);
    if (probes.messages.hasSubscribers) probes.messages.publish({ roles: messages.map((m) => m.role) });
    for (const message of messages) {
      const event: BusEvent = {
        type: 'message',
        conversationId: conversation.id,
        companyId: conversation.companyId,
        message,
        isTerminal: conversation.isTerminal,
      };
      if (origin && message.client_id) event.origin = origin;
      if (message === streamed) event.streamId = streamId;
      this.bus.publish(conversationTopic, event);
      if (!conversation.isTest) this.bus.publish(companyTopic, event);
    }
  }

  /** Publishes a committed change of status (with the visitor's place or agent, when given). */
  state(conversation: LiveConversation, status: ConversationStatus, extra: RecordOptions['state'] = {}): void {
    const event: BusEvent = { type: 'state', conversationId: conversation.id, companyId: conversation.companyId, status, ...extra };
    this.bus.publish(topics.conversation(conversation.id), event);
    // Agents are never told of a "Try it" conversation of the bot builder.
    if (!conversation.isTest) this.bus.publish(topics.company(conversation.companyId), event);
  }

  /** Tells the other side that someone is typing (nothing is stored). */
  typing(conversation: LiveConversation, role: 'user' | 'bot' | 'agent', on: boolean, origin?: string, name?: string): void {
    const event: BusEvent = {
      type: 'typing',
      conversationId: conversation.id,
      companyId: conversation.companyId,
      role,
      on,
      ...(name ? { name } : {}),
      ...(origin ? { origin } : {}),
    };
    this.bus.publish(topics.conversation(conversation.id), event);
    // Agents are never told of a "Try it" conversation of the bot builder.
    if (!conversation.isTest) this.bus.publish(topics.company(conversation.companyId), event);
  }

  /** A piece of an AI answer as it streams (nothing is stored until the answer ends). */
  stream(conversation: LiveConversation, streamId: string, delta: string): void {
    const event: BusEvent = { type: 'stream', conversationId: conversation.id, companyId: conversation.companyId, streamId, delta };
    this.bus.publish(topics.conversation(conversation.id), event);
  }
}
