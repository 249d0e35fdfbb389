import fp from 'fastify-plugin';
import type { BusEvent } from './bus.js';
import { perform, type Work, type WriteEffect } from '../db/step.js';

/** The events that are recorded in the transaction of the change they describe (what webhooks send). */
export type OutboxEvent = Extract<BusEvent, { type: 'message' | 'lead' | 'handoff' | 'resolved' | 'rated' }>;

interface OutboxListener {
  record: (event: OutboxEvent) => WriteEffect;
  wants: (companyId: string, type: OutboxEvent['type']) => boolean;
}

/**
 * The transactional outbox. A write that stores a message, a lead, a hand-off or a resolution
 * calls `add` from inside its group-commit work, and each listener (the webhook queue) stores
 * what it needs with the same connection, in the same transaction: the change and its event
 * commit together or not at all, so a crash between the two cannot lose an event. The bus, by
 * contrast, fans events out only after the commit.
 *
 * Listeners run synchronously and must only run SQL and remember what the SQL returned (a write
 * may run twice, see `GroupCommit`). A listener that throws is reported and never fails the write.
 */
export class Outbox {
  private readonly listeners: OutboxListener[] = [];

  constructor(private readonly onError: (error: unknown, event: OutboxEvent) => void) {}

  /**
   * Records `event` with every listener that wants it. Call it inside a write (`yield* perform(…)`);
   * `build` is only called when someone wants the event, so a company without webhooks pays
   * nothing: not even the work to run (undefined).
   */
  add(companyId: string, type: OutboxEvent['type'], build: () => OutboxEvent): WriteEffect {
    return this.wanted(companyId, type) ? this.record(companyId, type, build) : undefined;
  }

  /** Whether any listener records events of this type for this company. */
  wanted(companyId: string, type: OutboxEvent['type']): boolean {
    for (const listener of this.listeners) if (listener.wants(companyId, type)) return true;
    return false;
  }

  private *record(companyId: string, type: OutboxEvent['type'], build: () => OutboxEvent): Work<void> {
    let event: OutboxEvent | undefined;
    for (const listener of this.listeners) {
      if (!listener.wants(companyId, type)) continue;
      try {
        event ??= build();
        yield* perform(listener.record(event));
      } catch (error) {
        this.onError(error, event ?? ({ type, companyId } as OutboxEvent));
      }
    }
  }

  /** Adds a listener; `wants` answers, cheaply, whether it records events of this type for this company. */
  listen(record: OutboxListener['record'], wants: OutboxListener['wants']): void {
    this.listeners.push({ record, wants });
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Events recorded in the same transaction as the change they describe (see `Outbox`). */
    outbox: Outbox;
  }
}

export default fp(
  async (app) => {
    app.decorate('outbox', new Outbox((error, event) => app.log.error({ err: error, event: event.type }, 'an event could not be recorded')));
  },
  { name: 'outbox' },
);
