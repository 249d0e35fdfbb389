import fp from 'fastify-plugin';
import { escapeHtml, HANDOFF_LABEL, type HandoffReason } from '@parley/protocol';
import type { DatabaseHandle } from '../db/handle.js';
import { param, prepareQuery } from '../db/prepared.js';
import { topics, type EventBus } from '../core/bus.js';
import type { Outbox } from '../core/outbox.js';
import type { PresenceTracker } from '../core/presence.js';
import type { HandoffHooks, HandoffPlan, HandoffRequest } from '../conversations/chat-types.js';
import type { LiveConversation, NewMessage } from '../conversations/conversations.js';
import { timestamp } from '../lib/clock.js';
import { perform, runNow, type Work } from '../db/step.js';

/**
 * Words that ask for a person, matched as whole words in any case ("talk to a person" is caught
 * by "person"). Checked before the flow sees the visitor's text.
 */
export const PERSON_WORDS = ['human', 'agent', 'person', 'representative', 'operator', 'talk to a person'] as const;
const ASKS_FOR_PERSON = new RegExp(`(?<![\\p{L}\\p{N}])(?:${PERSON_WORDS.join('|').replaceAll(' ', '\\s+')})(?![\\p{L}\\p{N}])`, 'iu');

/** The label stored as the visitor's message when they press "Talk to a person". */
export const HANDOFF_BUTTON_LABEL = HANDOFF_LABEL;

/** A system notice in the conversation, as plain text. */
export const notice = (text: string): NewMessage => ({ role: 'system', components: [{ type: 'text', payload: { text: escapeHtml(text) } }] });

/**
 * What the chat needs of the hand-off: it recognises a visitor asking for a person, adds the
 * visitor's notice and place in the queue to the write that moves a conversation to `waiting`
 * (with the hand-off's row and outbox event in its transaction), and tells the agents once that
 * write is committed. Built before the chat, which takes it as its `handoff` port; the agents'
 * side (claim, reply, resolve, transfer) is `HandoffService`, built after the chat.
 */
export class HandoffPolicy implements HandoffHooks {
  private readonly statements;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly presence: PresenceTracker,
    private readonly bus: EventBus,
    private readonly outbox: Outbox,
  ) {
    const { db } = database;
    const owned = { id: param<string>(), company: param<string>() };
    this.statements = {
      waitingAhead: prepareQuery(database, owned, (p) =>
        db
          .selectFrom('conversations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('company_id', '=', p.company)
          .where('status', '=', 'waiting')
          .where('id', '!=', p.id),
      ),
      record: prepareQuery(database, { ...owned, at: param<string>(), reason: param<HandoffReason>(), context: param<string | null>() }, (p) =>
        db
          .updateTable('conversations')
          .set({ handoff_at: p.at, handoff_reason: p.reason, handoff_context: p.context })
          .where('id', '=', p.id)
          .where('company_id', '=', p.company),
      ),
    };
  }

  asksForPerson(text: string): boolean {
    return text.length <= 500 && ASKS_FOR_PERSON.test(text);
  }

  /** The place in the queue the conversation gets when it starts waiting now. */
  async position(conversation: LiveConversation): Promise<number> {
    return ((await this.waitingAhead(conversation))?.n ?? 0) + 1;
  }

  private waitingAhead(conversation: LiveConversation) {
    return this.statements.waitingAhead.get({ id: conversation.id, company: conversation.companyId });
  }

  /**
   * The hand-off's share of the write that moves the conversation to `waiting`. On SQLite it is
   * ready at once (the count runs synchronously, so the chat's write follows without a pause); on
   * PostgreSQL the count is a round trip and the plan comes as a promise.
   */
  prepare(conversation: LiveConversation, request: HandoffRequest): HandoffPlan | Promise<HandoffPlan> {
    const ahead = this.waitingAhead(conversation);
    if (this.database.dialect === 'sqlite') return this.plan(conversation, request, runNow(ahead)?.n ?? 0);
    return Promise.resolve(ahead).then((row) => this.plan(conversation, request, row?.n ?? 0));
  }

  private plan(conversation: LiveConversation, request: HandoffRequest, waitingAhead: number): HandoffPlan {
    const position = waitingAhead + 1;
    const someoneOnline = this.presence.anyAgentOnline(conversation.companyId);
    const text = someoneOnline
      ? `I've asked a person to join. You are number ${position} in line.`
      : `I've asked a person to join. Nobody is online right now: stay here or come back later, and we will answer you in this chat. You are number ${position} in line.`;
    const at = timestamp();
    return {
      messages: [notice(text)],
      position,
      record: () => this.record(conversation, request, at),
    };
  }

  /** Inside the write: the hand-off's row fields and its outbox event. */
  private *record(conversation: LiveConversation, request: HandoffRequest, at: string): Work<void> {
    const { id: conversationId, companyId } = conversation;
    yield* this.statements.record.run({ id: conversationId, company: companyId, at, reason: request.reason, context: request.context ?? null });
    yield* perform(this.outbox.add(companyId, 'handoff', () => ({ type: 'handoff', conversationId, companyId, reason: request.reason })));
  }

  announce(conversation: LiveConversation, request: HandoffRequest): void {
    this.bus.publish(topics.company(conversation.companyId), {
      type: 'handoff',
      conversationId: conversation.id,
      companyId: conversation.companyId,
      reason: request.reason,
    });
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What the chat needs of the hand-off: recognising a request for a person and queueing it. */
    handoffPolicy: HandoffPolicy;
  }
}

export default fp(
  async (app) => {
    app.decorate('handoffPolicy', new HandoffPolicy(app.database, app.presence, app.bus, app.outbox));
  },
  { name: 'handoff-policy', dependencies: ['database', 'presence', 'bus', 'outbox'] },
);
