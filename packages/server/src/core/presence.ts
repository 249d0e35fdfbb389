import { topics, type EventBus } from './bus.js';

/**
 * Who is connected right now: visitor sockets per conversation and agent sockets per user. Only
 * the first connection and the last disconnection are news, so several tabs of one visitor or
 * agent show as one presence. In-process counts, for one server process; with `REDIS_URL` the
 * app uses `SharedPresence` (shared-presence.ts), which keeps the same interface across nodes.
 */
export class PresenceTracker {
  private readonly visitors = new Map<string, number>();
  private readonly agents = new Map<string, { companyId: string; name: string; sockets: number }>();
  protected readonly arrivals: Array<(conversation: { id: string; companyId: string }) => void> = [];
  private readonly availability = new Map<string, Set<(online: boolean) => void>>();

  constructor(private readonly bus: EventBus) {}

  /** Calls `listener` whenever a visitor socket joins a conversation (every socket, not only the first). */
  onVisitorConnected(listener: (conversation: { id: string; companyId: string }) => void): void {
    this.arrivals.push(listener);
  }

  /** A visitor socket joined a conversation. */
  visitorConnected(conversation: { id: string; companyId: string }): void {
    for (const listener of this.arrivals) listener(conversation);
    const count = (this.visitors.get(conversation.id) ?? 0) + 1;
    this.visitors.set(conversation.id, count);
    if (count === 1) this.publishVisitor(conversation, true);
  }

  /** A visitor socket of a conversation closed. */
  visitorDisconnected(conversation: { id: string; companyId: string }): void {
    const count = (this.visitors.get(conversation.id) ?? 1) - 1;
    if (count > 0) return void this.visitors.set(conversation.id, count);
    this.visitors.delete(conversation.id);
    this.publishVisitor(conversation, false);
  }

  /** Whether a visitor of the conversation has a socket open. */
  isVisitorOnline(conversationId: string): boolean {
    return this.visitors.has(conversationId);
  }

  /**
   * The company's visitors online, for a caller that can wait (an HTTP request): undefined when
   * `isVisitorOnline` already knows (in process, always); across nodes, read from Redis when
   * this node does not follow the company's presence.
   */
  visitorsOnlineOf(_companyId: string): Promise<ReadonlySet<string>> | undefined {
    return undefined;
  }

  /**
   * An agent socket opened. Returns nothing when the company's presence already counts the agent
   * (here, always); across nodes, a promise that resolves once it does (and never rejects).
   */
  agentConnected(user: { id: string; companyId: string; name: string }): void | Promise<void> {
    const entry = this.agents.get(user.id) ?? { companyId: user.companyId, name: user.name, sockets: 0 };
    entry.sockets++;
    entry.name = user.name;
    this.agents.set(user.id, entry);
    if (entry.sockets === 1) this.publishAgent(user.id, entry, true);
  }

  /** An agent socket closed. */
  agentDisconnected(user: { id: string }): void {
    const entry = this.agents.get(user.id);
    if (!entry) return;
    if (--entry.sockets > 0) return;
    this.agents.delete(user.id);
    this.publishAgent(user.id, entry, false);
  }

  /** Sockets open now, visitors' and agents' (for metrics). */
  socketCounts(): { visitors: number; agents: number } {
    let visitors = 0;
    let agents = 0;
    for (const count of this.visitors.values()) visitors += count;
    for (const entry of this.agents.values()) agents += entry.sockets;
    return { visitors, agents };
  }

  /** The company's agents with at least one socket open. */
  onlineAgents(companyId: string): Array<{ id: string; name: string }> {
    const online: Array<{ id: string; name: string }> = [];
    for (const [id, entry] of this.agents) if (entry.companyId === companyId) online.push({ id, name: entry.name });
    return online;
  }

  /** Whether anyone of the company is online to take a hand-off. */
  anyAgentOnline(companyId: string): boolean {
    for (const entry of this.agents.values()) if (entry.companyId === companyId) return true;
    return false;
  }

  private publishVisitor(conversation: { id: string; companyId: string }, online: boolean): void {
    this.bus.publish(topics.company(conversation.companyId), {
      type: 'presence',
      conversationId: conversation.id,
      companyId: conversation.companyId,
      online,
    });
  }

  /**
   * Calls `listener` when the company's first agent connects (`true`) or its last one leaves
   * (`false`), for the widget's availability; with `now`, also once with the current availability
   * (here at once, before returning). Returns the function that stops it.
   */
  onAvailability(companyId: string, listener: (online: boolean) => void, now = false): () => void {
    let listeners = this.availability.get(companyId);
    if (!listeners) this.availability.set(companyId, (listeners = new Set()));
    listeners.add(listener);
    if (now) listener(this.anyAgentOnline(companyId));
    return () => {
      listeners.delete(listener);
      if (!listeners.size && this.availability.get(companyId) === listeners) this.availability.delete(companyId);
    };
  }

  private publishAgent(userId: string, entry: { companyId: string; name: string }, online: boolean): void {
    const listeners = this.availability.get(entry.companyId);
    // Only the company's first agent in and its last agent out change its availability.
    const flipped = online ? this.onlineAgents(entry.companyId).length === 1 : !this.anyAgentOnline(entry.companyId);
    if (listeners && flipped) {
      for (const listener of [...listeners]) listener(online);
    }
    this.bus.publish(topics.company(entry.companyId), { type: 'agent_presence', companyId: entry.companyId, userId, name: entry.name, online });
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Visitor and agent presence. */
    presence: PresenceTracker;
  }
}
