import fp from 'fastify-plugin';
import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { escapeHtml, HANDOFF_LABEL, type HandoffReason } from '@parley/protocol';
import type { Database } from '../db/database.js';
import { param, prepareSqliteQuery } from '../db/prepared.js';
import { topics, type EventBus } from '../core/bus.js';
import type { Outbox } from '../core/outbox.js';
import type { PresenceTracker } from '../core/presence.js';
import type { HandoffHooks, HandoffRequest } from '../conversations/chat-types.js';
import type { LiveConversation, NewMessage } from '../conversations/conversations.js';
import { timestamp } from '../lib/clock.js';
import { runNow } from '../db/step.js';

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
    db: Kysely<Database>,
    sqlite: SQLite.Database,
    private readonly presence: PresenceTracker,
    private readonly bus: EventBus,
    private readonly outbox: Outbox,
  ) {
    const owned = { id: param<string>(), company: param<string>() };
    this.statements = {
      waitingAhead: prepareSqliteQuery(sqlite, owned, (p) =>
        db
          .selectFrom('conversations')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('company_id', '=', p.company)
          .where('status', '=', 'waiting')
          .where('id', '!=', p.id),
      ),
      record: prepareSqliteQuery(sqlite, { ...owned, at: param<string>(), reason: param<HandoffReason>(), context: param<string | null>() }, (p) =>
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
  position(conversation: LiveConversation): number {
    return (this.statements.waitingAhead.get({ id: conversation.id, company: conversation.companyId })?.n ?? 0) + 1;
  }

  prepare(conversation: LiveConversation, request: HandoffRequest) {
    const position = this.position(conversation);
    const someoneOnline = this.presence.anyAgentOnline(conversation.companyId);
    const text = someoneOnline
      ? `I've asked a person to join. You are number ${position} in line.`
      : `I've asked a person to join. Nobody is online right now: stay here or come back later, and we will answer you in this chat. You are number ${position} in line.`;
    const at = timestamp();
    return {
      messages: [notice(text)],
      position,
      record: () => {
        const { id: conversationId, companyId } = conversation;
        this.statements.record.run({ id: conversationId, company: companyId, at, reason: request.reason, context: request.context ?? null });
        runNow(this.outbox.add(companyId, 'handoff', () => ({ type: 'handoff', conversationId, companyId, reason: request.reason }))); // TODO(pg): yield* inside a generator write
      },
    };
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
    app.decorate('handoffPolicy', new HandoffPolicy(app.db, app.sqlite, app.presence, app.bus, app.outbox));
  },
  { name: 'handoff-policy', dependencies: ['database', 'presence', 'bus', 'outbox'] },
);
