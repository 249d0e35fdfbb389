import type { ChatMessage, ConversationStatus, HandoffReason, NoteView } from '@parley/protocol';

/** Events fanned out after they are committed. `origin` names the connection that caused it, if any. */
export type BusEvent =
  | { type: 'message'; conversationId: string; companyId: string; message: ChatMessage; isTerminal: boolean; origin?: string; streamId?: string }
  | { type: 'stream'; conversationId: string; companyId: string; streamId: string; delta: string }
  | { type: 'state'; conversationId: string; companyId: string; status: ConversationStatus; position?: number; agent?: { name: string } }
  | { type: 'typing'; conversationId: string; companyId: string; role: 'user' | 'bot' | 'agent'; on: boolean; name?: string; origin?: string }
  | {
      type: 'lead';
      companyId: string;
      conversationId: string | null;
      leadId: string;
      source: 'flow' | 'form' | 'api';
      data: Record<string, string | number | boolean>;
      createdAt: string;
    }
  | { type: 'handoff'; conversationId: string; companyId: string; reason: HandoffReason }
  | { type: 'resolved'; conversationId: string; companyId: string; by: { id: string; name: string } }
  /** The visitor rated the conversation (CSAT). */
  | { type: 'rated'; conversationId: string; companyId: string; scale: 'five' | 'thumbs'; score: number; comment: string | null; createdAt: string }
  | { type: 'identified'; conversationId: string; companyId: string; verified: boolean }
  | { type: 'presence'; conversationId: string; companyId: string; online: boolean }
  | { type: 'agent_presence'; companyId: string; userId: string; name: string; online: boolean }
  | { type: 'read'; conversationId: string; companyId: string; seq: number; userId: string; origin?: string }
  | { type: 'user_revoked'; companyId: string; userId: string }
  | { type: 'erased'; conversationId: string; companyId: string }
  /** Internal notes: published on the company's topic only, never on the conversation's (its visitors). */
  | { type: 'note'; conversationId: string; companyId: string; note: NoteView }
  | { type: 'note_deleted'; conversationId: string; companyId: string; noteId: string };

export type BusHandler = (event: BusEvent) => void;

/**
 * Real-time fan-out behind a small interface, so a Redis (or other) bus can replace the
 * in-process one for several server processes without touching any handler.
 */
export interface EventBus {
  publish(topic: string, event: BusEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(topic: string, handler: BusHandler): () => void;
  /**
   * Calls `listener` each time the bus is whole again after it may have missed events (a Redis
   * reconnect): consumers then fill what they missed from the database. Returns the function that
   * stops listening. A bus that never misses events (in memory) has none.
   */
  onRecovered?(listener: () => void): () => void;
}

/**
 * Topic names: one per conversation (its visitors and agents), one per company (its agents), and
 * one per company for its presence alone (what a node mirrors of the company's presence listens
 * to, so it does not receive every message of the company from the other nodes).
 */
export const topics = {
  conversation: (id: string) => `conversation:${id}`,
  company: (id: string) => `company:${id}`,
  presence: (companyId: string) => `presence:${companyId}`,
} as const;

/** The single-process bus: synchronous delivery, a failing handler never stops the others. */
export class MemoryBus implements EventBus {
  private readonly handlers = new Map<string, Set<BusHandler>>();

  constructor(private readonly onHandlerError: (error: unknown, topic: string) => void) {}

  publish(topic: string, event: BusEvent): void {
    const set = this.handlers.get(topic);
    if (!set) return;
    for (const handler of set) {
      try {
        handler(event);
      } catch (error) {
        this.onHandlerError(error, topic);
      }
    }
  }

  /** Whether the topic has a handler. */
  has(topic: string): boolean {
    return this.handlers.has(topic);
  }

  /** Topics with at least one handler. */
  topics(): string[] {
    return [...this.handlers.keys()];
  }

  /** Drops every handler. */
  clear(): void {
    this.handlers.clear();
  }

  subscribe(topic: string, handler: BusHandler): () => void {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
      if (set.size === 0 && this.handlers.get(topic) === set) this.handlers.delete(topic);
    };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Real-time fan-out of committed events. */
    bus: EventBus;
  }
}
