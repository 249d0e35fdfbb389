import type { ChatMessage } from '@parley/protocol';
import type { FlowEffect } from '../flows/engine.js';
import { perform, type Work } from '../db/step.js';
import type { Lead, LeadRepository } from '../leads/leads.js';
import type { ChatAnnouncer } from './chat-announcer.js';
import type { ChatPorts, HandoffRequest, RecordOptions } from './chat-types.js';
import type { ConversationChanges, ConversationStore, LiveConversation, NewMessage } from './conversations.js';

/** What one turn writes (`ChatWriter.commit`). */
export interface CommitOptions {
  messages: NewMessage[];
  changes?: ConversationChanges | undefined;
  /** The flow's side effects, stored in the same transaction (leads). */
  effects?: readonly FlowEffect[] | undefined;
  /** The connection that sent the visitor's message: it gets an `ack` instead of the message. */
  origin?: string | undefined;
  /** The write moves the conversation to `waiting`: the hand-off's notice and bookkeeping ride on it. */
  handoff?: HandoffRequest | undefined;
  /** The AI answer that streamed before this write: its first bot message ends that stream. */
  streamId?: string | undefined;
  /** Receives the leads the write stores. */
  leads?: Lead[] | undefined;
}

/**
 * The chat's writes: every turn, hand-off and agent action is one append to the conversation
 * store (one transaction with its side effects: leads, the hand-off's row, insights' rollups and
 * the outbox's events), and what it committed is published on the bus after the commit.
 */
export class ChatWriter {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly leads: LeadRepository,
    private readonly announce: ChatAnnouncer,
    /** The chat's ports, shared with it (read at each write, so the insights bench can swap them). */
    private readonly ports: Pick<ChatPorts, 'handoff' | 'insights'>,
  ) {}

  /** Stores a turn with its effects as one write, then publishes what was committed. */
  async commit(conversation: LiveConversation, options: CommitOptions): Promise<ChatMessage[]> {
    const { changes = {}, handoff } = options;
    let messages = options.messages;
    const planned = handoff && this.ports.handoff ? this.ports.handoff.prepare(conversation, handoff) : undefined;
    // Ready at once on SQLite: no pause between the turn's checks and its append.
    const request = planned && 'then' in planned ? await planned : planned;
    if (request) messages = [...messages, ...request.messages];
    const leads: Lead[] = [];
    for (const effect of options.effects ?? []) {
      if (effect.type !== 'lead') continue;
      const lead = this.leads.create({ companyId: conversation.companyId, conversationId: conversation.id, source: effect.source ?? 'flow', data: effect.data });
      leads.push(lead);
      options.leads?.push(lead);
    }
    const statusBefore = conversation.status;
    const { announce, leads: leadRepository } = this;
    const insights = this.ports.insights;
    const stored = await this.conversations.append(conversation, messages, changes, undefined, function* (written): Work<void> {
      yield* perform(announce.recordMessages(conversation, written));
      for (const lead of leads) yield* perform(leadRepository.insertNow(lead));
      if (request) yield* perform(request.record());
      if (changes.reached && insights) yield* perform(insights.turn(conversation, changes.reached, changes.isTerminal === true));
    });
    this.announce.messages(conversation, stored, options.origin, options.streamId);
    if (conversation.status !== statusBefore) this.announce.state(conversation, conversation.status, request ? { position: request.position } : undefined);
    for (const lead of leads) this.leads.publish(lead);
    if (request && handoff) this.ports.handoff?.announce(conversation, handoff);
    return stored;
  }

  /** Stores messages and changes that do not come from the visitor (see `ChatService.record`). */
  async record(conversation: LiveConversation, messages: NewMessage[], changes: ConversationChanges, options: RecordOptions): Promise<ChatMessage[]> {
    const statusBefore = conversation.status;
    const { announce, ports } = this;
    const stored = await this.conversations.append(conversation, messages, changes, undefined, function* (written): Work<void> {
      yield* perform(announce.recordMessages(conversation, written));
      if (ports.insights) yield* perform(ports.insights.recorded(conversation, messages));
      if (options.after) yield* perform(options.after());
    });
    this.announce.messages(conversation, stored, options.origin);
    if (conversation.status !== statusBefore || options.state) this.announce.state(conversation, conversation.status, options.state);
    return stored;
  }
}
