import { topics, type BusEvent } from './bus.js';
import { PresenceTracker } from './presence.js';
import type { RedisBus } from './redis-bus.js';
import type { RedisPresence } from './redis-presence.js';

/** What this node knows of one company's presence, kept while one of its sockets here needs it. */
interface Mirror {
  companyId: string;
  /** Agent sockets and availability listeners of the company on this node. */
  refs: number;
  visitors: Set<string>;
  agents: Map<string, string>;
  /** Whether the company has an agent online, as last told to the listeners. */
  available: boolean;
  listeners: Set<(online: boolean) => void>;
  /** Events received while a (re)load from Redis is under way, applied after it. */
  buffered: BusEvent[] | undefined;
  /** Resolves once the first load from Redis is done (or failed). */
  loaded: Promise<void>;
  isLoaded: boolean;
  unsubscribe: () => void;
}

/**
 * Presence across every node, with the in-process `PresenceTracker`'s interface, so its callers
 * keep their synchronous queries (the inbox's `online`, the hand-off notice's "nobody is online").
 *
 * Redis holds the truth (`RedisPresence`: each node's sockets as expiring entries, first-in and
 * last-out published on the company's topic and its presence topic, entries of dead nodes swept). This node answers the
 * queries from a mirror of each company it has sockets for: loaded from Redis when the company's
 * first agent socket or visitor availability listener appears here, then kept current by the
 * company's presence topic (`presence` and `agent_presence` events, its own and other nodes'; not
 * the company topic, which carries every message of the company), and loaded
 * again whenever the bus's subscription comes back after an outage. A company with no socket on
 * this node has no mirror: its synchronous queries answer "nobody online", and the inbox's HTTP
 * answers ask Redis instead (`visitorsOnlineOf`).
 */
export class SharedPresence extends PresenceTracker {
  private readonly mirrors = new Map<string, Mirror>();
  /** Visitors online of every mirrored company, by conversation id. */
  private readonly visitorsOnline = new Set<string>();
  /** This node's agent sockets per user: the company each one holds a mirror of. */
  private readonly agentSockets = new Map<string, { companyId: string; sockets: number }>();
  private closed = false;

  constructor(
    private readonly redisBus: RedisBus,
    private readonly shared: RedisPresence,
    private readonly onError: (error: unknown) => void,
  ) {
    super(redisBus);
    redisBus.on('up', () => {
      for (const mirror of this.mirrors.values()) void this.load(mirror);
    });
  }

  override visitorConnected(conversation: { id: string; companyId: string }): void {
    for (const listener of this.arrivals) listener(conversation);
    if (this.closed) return;
    this.shared.visitorConnected(conversation).catch(this.onError);
  }

  override visitorDisconnected(conversation: { id: string; companyId: string }): void {
    if (this.closed) return;
    this.shared.visitorDisconnected(conversation).catch(this.onError);
  }

  override isVisitorOnline(conversationId: string): boolean {
    return this.visitorsOnline.has(conversationId);
  }

  /** Undefined when the company is mirrored here; otherwise its visitors online, from Redis. */
  override visitorsOnlineOf(companyId: string): Promise<ReadonlySet<string>> | undefined {
    if (this.mirrors.get(companyId)?.isLoaded) return undefined;
    return this.shared.onlineVisitors(companyId).then(
      (ids) => new Set(ids),
      (error: unknown) => {
        this.onError(error);
        return new Set<string>();
      },
    );
  }

  /**
   * Resolves once Redis counts the agent, this node's mirror of the company includes it, and its
   * topics are subscribed on Redis (so a `ready` sent then means events of every node reach
   * the socket). Never rejects: while Redis is away it resolves with what is known.
   */
  override agentConnected(user: { id: string; companyId: string; name: string }): Promise<void> {
    if (this.closed) return Promise.resolve();
    const entry = this.agentSockets.get(user.id) ?? { companyId: user.companyId, sockets: 0 };
    entry.sockets++;
    this.agentSockets.set(user.id, entry);
    const mirror = this.watch(user.companyId);
    const touched = this.shared.agentConnected(user).catch(this.onError);
    return Promise.all([touched, mirror.loaded]).then(() => this.redisBus.subscribed());
  }

  override agentDisconnected(user: { id: string }): void {
    const entry = this.agentSockets.get(user.id);
    if (!entry) return;
    if (--entry.sockets <= 0) this.agentSockets.delete(user.id);
    const mirror = this.mirrors.get(entry.companyId);
    if (mirror) this.unwatch(mirror);
    if (this.closed) return;
    this.shared.agentDisconnected(user).catch(this.onError);
  }

  /** Sockets open on this node (for metrics). */
  override socketCounts(): { visitors: number; agents: number } {
    return this.shared.socketCounts();
  }

  override onlineAgents(companyId: string): Array<{ id: string; name: string }> {
    const mirror = this.mirrors.get(companyId);
    return mirror ? [...mirror.agents].map(([id, name]) => ({ id, name })) : [];
  }

  override anyAgentOnline(companyId: string): boolean {
    return (this.mirrors.get(companyId)?.agents.size ?? 0) > 0;
  }

  /** With `now`, the current availability comes once the company's mirror is loaded from Redis. */
  override onAvailability(companyId: string, listener: (online: boolean) => void, now = false): () => void {
    const mirror = this.watch(companyId);
    mirror.listeners.add(listener);
    let listening = true;
    if (now) {
      if (mirror.isLoaded) listener(mirror.available);
      else void mirror.loaded.then(() => listening && listener(mirror.available));
    }
    return () => {
      if (!listening) return;
      listening = false;
      mirror.listeners.delete(listener);
      this.unwatch(mirror);
    };
  }

  /** Starts the heartbeat and the sweep of dead nodes' entries. */
  start(): void {
    this.shared.start();
  }

  /** Lets go of every mirror, and of this node's entries in Redis (they go offline now). */
  async close(): Promise<void> {
    this.closed = true;
    for (const mirror of this.mirrors.values()) mirror.unsubscribe();
    this.mirrors.clear();
    this.visitorsOnline.clear();
    await this.shared.close();
  }

  private watch(companyId: string): Mirror {
    let mirror = this.mirrors.get(companyId);
    if (mirror) {
      mirror.refs++;
      return mirror;
    }
    const created: Mirror = {
      companyId,
      refs: 1,
      visitors: new Set(),
      agents: new Map(),
      available: false,
      listeners: new Set(),
      buffered: [],
      loaded: Promise.resolve(),
      isLoaded: false,
      unsubscribe: () => {},
    };
    mirror = created;
    this.mirrors.set(companyId, created);
    // Subscribed before it is read, so no change falls between the read and the events.
    created.unsubscribe = this.closed
      ? () => {}
      : this.redisBus.subscribe(topics.presence(companyId), (event) => {
          if (created.buffered) created.buffered.push(event);
          else this.apply(created, event);
        });
    created.loaded = this.load(created).then(() => {
      created.isLoaded = true;
    });
    return created;
  }

  private unwatch(mirror: Mirror): void {
    if (--mirror.refs > 0 || this.mirrors.get(mirror.companyId) !== mirror) return;
    this.mirrors.delete(mirror.companyId);
    mirror.unsubscribe();
    for (const id of mirror.visitors) this.visitorsOnline.delete(id);
  }

  /** Reads the company's presence from Redis, then applies the events that came meanwhile. */
  private async load(mirror: Mirror): Promise<void> {
    mirror.buffered ??= [];
    try {
      await this.redisBus.subscribed();
      const [visitors, agents] = await Promise.all([this.shared.onlineVisitors(mirror.companyId), this.shared.onlineAgents(mirror.companyId)]);
      if (this.mirrors.get(mirror.companyId) !== mirror) return;
      for (const id of mirror.visitors) this.visitorsOnline.delete(id);
      mirror.visitors = new Set(visitors);
      for (const id of visitors) this.visitorsOnline.add(id);
      mirror.agents = new Map(agents.map((agent) => [agent.id, agent.name]));
    } catch (error) {
      this.onError(error);
    } finally {
      const buffered = mirror.buffered ?? [];
      mirror.buffered = undefined;
      for (const event of buffered) this.apply(mirror, event, false);
      this.announce(mirror, mirror.isLoaded);
    }
  }

  private apply(mirror: Mirror, event: BusEvent, announce = true): void {
    if (event.type === 'presence') {
      if (event.online) {
        mirror.visitors.add(event.conversationId);
        this.visitorsOnline.add(event.conversationId);
      } else {
        mirror.visitors.delete(event.conversationId);
        this.visitorsOnline.delete(event.conversationId);
      }
    } else if (event.type === 'agent_presence') {
      if (event.online) mirror.agents.set(event.userId, event.name);
      else mirror.agents.delete(event.userId);
      if (announce) this.announce(mirror, true);
    }
  }

  /** Tells the availability listeners when the company's first agent came or its last one left. */
  private announce(mirror: Mirror, tell: boolean): void {
    const available = mirror.agents.size > 0;
    if (available === mirror.available) return;
    mirror.available = available;
    if (tell) for (const listener of [...mirror.listeners]) listener(available);
  }
}
