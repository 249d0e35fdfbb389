import type { ChatMessage } from '@parley/protocol';
import type { FlowEffect } from '../flows/engine.js';
import { perform, type Work, type WriteEffect } from '../db/step.js';
import type { Lead, LeadRepository } from '../leads/leads.js';
import type { ChatAnnouncer } from './chat-announcer.js';
import type { ChatPorts, HandoffPlan, HandoffRequest, RecordOptions } from './chat-types.js';
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
    // Decided on the conversation as it stands before the write (which may add to `changes.flow`).
    const insights = this.ports.insights;
    const rollups = changes.reached && insights ? insights.turn(conversation, changes) : undefined;
    const stored = await this.conversations.append(conversation, messages, changes, undefined, (written) =>
      this.turnEffects(conversation, written, leads, request, rollups),
    );
    this.announce.messages(conversation, stored, options.origin, options.streamId);
    if (conversation.status !== statusBefore) this.announce.state(conversation, conversation.status, request ? { position: request.position } : undefined);
    for (const lead of leads) this.leads.publish(lead);
    if (request && handoff) this.ports.handoff?.announce(conversation, handoff);
    return stored;
  }

  /** Stores messages and changes that do not come from the visitor (see `ChatService.record`). */
  async record(conversation: LiveConversation, messages: NewMessage[], changes: ConversationChanges, options: RecordOptions): Promise<ChatMessage[]> {
    const statusBefore = conversation.status;
    const stored = await this.conversations.append(conversation, messages, changes, undefined, (written) =>
      this.recordEffects(conversation, written, messages, options.after),
    );
    this.announce.messages(conversation, stored, options.origin);
    if (conversation.status !== statusBefore || options.state) this.announce.state(conversation, conversation.status, options.state);
    return stored;
  }

  /*
   * The effects below are made by methods, never by a generator function written inside the
   * caller: V8 gives every new generator function its own prototype and map, which on a turn's hot
   * path cost more than the effects themselves (map building, inline-cache misses, garbage).
   */

  /**
   * What a turn's write stores beside its messages: its outbox events, leads, the hand-off's row
   * and the insights rollups, in that order; nothing to run (undefined) when there are none, as on
   * most turns.
   */
  private turnEffects(conversation: LiveConversation, written: ChatMessage[], leads: Lead[], request: HandoffPlan | undefined, rollups: WriteEffect): WriteEffect {
    const events = this.announce.recordMessages(conversation, written);
    if (!events && leads.length === 0 && !request && !rollups) return undefined;
    return this.runTurnEffects(events, leads, request, rollups);
  }

  private *runTurnEffects(events: WriteEffect, leads: Lead[], request: HandoffPlan | undefined, rollups: WriteEffect): Work<void> {
    yield* perform(events);
    for (const lead of leads) yield* perform(this.leads.insertNow(lead));
    if (request) yield* perform(request.record());
    yield* perform(rollups);
  }

  /** What the write of `record` stores beside its messages: outbox events, rollups and the caller's `after`. */
  private *recordEffects(conversation: LiveConversation, written: ChatMessage[], messages: NewMessage[], after: RecordOptions['after']): Work<void> {
    yield* perform(this.announce.recordMessages(conversation, written));
    if (this.ports.insights) yield* perform(this.ports.insights.recorded(conversation, messages));
    if (after) yield* perform(after());
  }
}
