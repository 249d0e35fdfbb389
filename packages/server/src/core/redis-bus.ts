import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { MemoryBus, type BusEvent, type BusHandler, type EventBus } from './bus.js';
import { checkRedisPrefix, newNodeId } from './redis-connection.js';

/** Options of a {@link RedisBus}. */
export interface RedisBusOptions {
  /**
   * The process's command connection: publishes go through it, and the bus's one subscriber
   * connection is opened from it (`duplicate()`). The bus never closes it.
   */
  redis: Redis;
  /** Starts every channel name, so deployments and tests can share a Redis (default `parley:`). */
  prefix?: string;
  /** This process's name in every message it publishes (default: random). */
  nodeId?: string;
  /** A handler threw; the other handlers of the event still run. */
  onHandlerError?: (error: unknown, topic: string) => void;
  /** A publish failed (Redis unreachable) or a received message could not be read. */
  onError?: (error: unknown) => void;
  /**
   * The subscription came back after it was lost (Redis restarted, the connection was killed).
   * Events published by other nodes meanwhile were missed: fill them from the database for
   * `topics`. Called after every channel is subscribed again, so anything committed after the
   * fill starts is delivered by the bus, and nothing falls between the two.
   */
  onResubscribed?: (topics: string[]) => void;
}

/** What travels on a channel: the publishing node and the event. */
interface Envelope {
  n: string;
  e: BusEvent;
}

/** `down`: the subscription is lost. `up`: every channel is subscribed (again). */
export interface RedisBusEvents {
  down: [];
  up: [];
}

/**
 * The {@link EventBus} for several server processes: events go out on Redis pub/sub, one
 * channel per topic (`<prefix>bus:conversation:<id>`, `<prefix>bus:company:<id>`).
 *
 * The database is the source of truth and the bus only says that something changed: pub/sub
 * keeps no history, so a subscriber that was away misses what was sent meanwhile. The bus says
 * when that happens (`healthy`, `down`/`up`, `onResubscribed`) and consumers fill the gap from the
 * database, delivering strictly by `seq`.
 *
 * Delivery promises:
 * - A node's own events reach its local handlers synchronously, inside `publish`, exactly as with
 *   the `MemoryBus`; the copy Redis sends back is recognised by the node id in the envelope and
 *   dropped, so each local handler sees each event once. (Waiting for the echo instead would
 *   make every local delivery depend on Redis, and a node could not talk to its own sockets
 *   while Redis is away.) The price: on one node, its own events can overtake events of other
 *   nodes that are still on the wire, which `seq` ordering in the consumer absorbs.
 * - Events of one publishing node arrive in the order it published them (one connection each way).
 * - One process holds one subscriber connection; a channel is subscribed when its first local
 *   handler appears and unsubscribed when its last one goes.
 * - A handler that throws is reported and never stops the others.
 *
 * After a reconnect the bus subscribes its channels itself (ioredis's `autoResubscribe` is off)
 * because it must know when the subscription is really back before it says `up`.
 */
export class RedisBus extends EventEmitter<RedisBusEvents> implements EventBus {
  /** This process's name in the envelopes it publishes. */
  readonly nodeId: string;
  private readonly prefix: string;
  private readonly channelPrefix: string;
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  /** How this node's envelopes start (`{"n":"<node id>",`): its own events are skipped without parsing. */
  private readonly ownMark: string;
  /** This process's handlers: the same registry and isolated delivery as the single-process bus. */
  private readonly local: MemoryBus;
  private readonly pending = new Set<Promise<void>>();
  private isHealthy = false;
  private wasUp = false;
  /** Counts connections of the subscriber, so a resubscribe that outlived its connection is ignored. */
  private epoch = 0;
  private closed = false;

  constructor(private readonly options: RedisBusOptions) {
    super();
    this.prefix = checkRedisPrefix(options.prefix ?? 'parley:');
    this.channelPrefix = `${this.prefix}bus:`;
    this.nodeId = options.nodeId ?? newNodeId();
    this.local = new MemoryBus((error, topic) => this.options.onHandlerError?.(error, topic));
    this.publisher = options.redis;
    // Connects at once even when the command connection is lazy: `healthy` must not wait for a first topic.
    this.subscriber = options.redis.duplicate({ autoResubscribe: false, enableAutoPipelining: false, lazyConnect: false, connectionName: `${this.prefix}bus:${this.nodeId}` });
    this.ownMark = `{"n":${JSON.stringify(this.nodeId)},`;
    this.subscriber.on('message', (channel: string, message: string) => this.receive(channel, message));
    this.subscriber.on('ready', () => void this.resubscribe(this.epoch));
    this.subscriber.on('close', () => this.lost());
    // ioredis logs unhandled 'error' events; connection errors show as `down` and reconnects.
    this.subscriber.on('error', () => {});
  }

  /** Whether every channel is subscribed now (for `/readyz`). */
  get healthy(): boolean {
    return this.isHealthy;
  }

  /** Topics with at least one local handler. */
  topics(): string[] {
    return this.local.topics();
  }

  publish(topic: string, event: BusEvent): void {
    this.local.publish(topic, event);
    const envelope: Envelope = { n: this.nodeId, e: event };
    this.publisher.publish(this.channelPrefix + topic, JSON.stringify(envelope)).catch((error: unknown) => this.options.onError?.(error));
  }

  subscribe(topic: string, handler: BusHandler): () => void {
    if (!this.local.has(topic)) this.track(this.subscriber.subscribe(this.channelPrefix + topic));
    const off = this.local.subscribe(topic, handler);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      off();
      if (!this.local.has(topic) && !this.closed) this.track(this.subscriber.unsubscribe(this.channelPrefix + topic));
    };
  }

  /**
   * Resolves once every SUBSCRIBE and UNSUBSCRIBE asked for so far has been answered by Redis.
   * A consumer that subscribes and then reads the database awaits this in between, so no event
   * committed after the read can be missed.
   */
  async subscribed(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  /** Closes the subscriber connection (the command connection belongs to the caller). */
  async close(): Promise<void> {
    this.closed = true;
    this.local.clear();
    this.subscriber.removeAllListeners('close');
    this.subscriber.removeAllListeners('ready');
    this.isHealthy = false;
    await this.subscriber.quit().catch(() => this.subscriber.disconnect());
  }

  private track(command: Promise<unknown>): void {
    const done: Promise<void> = command.then(
      () => {},
      (error: unknown) => {
        // Lost with the connection: `resubscribe` puts the channel back on the next `ready`.
        if (this.isHealthy) this.options.onError?.(error);
      },
    );
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  private receive(channel: string, message: string): void {
    // This node's own events came back through Redis: already delivered here, skipped unread.
    if (!channel.startsWith(this.channelPrefix) || message.startsWith(this.ownMark)) return;
    let envelope: Envelope;
    try {
      envelope = JSON.parse(message) as Envelope;
    } catch (error) {
      return this.options.onError?.(error);
    }
    if (envelope.n === this.nodeId) return;
    this.local.publish(channel.slice(this.channelPrefix.length), envelope.e);
  }

  onRecovered(listener: () => void): () => void {
    const recovered = () => {
      if (this.wasRecovery) listener();
    };
    this.on('up', recovered);
    return () => this.off('up', recovered);
  }

  /** Whether the last `up` followed a loss (not the first subscription). */
  private wasRecovery = false;

  private lost(): void {
    this.epoch++;
    if (!this.isHealthy) return;
    this.isHealthy = false;
    this.emit('down');
  }

  private async resubscribe(epoch: number): Promise<void> {
    const topics = this.topics();
    try {
      if (topics.length) await this.subscriber.subscribe(...topics.map((topic) => this.channelPrefix + topic));
    } catch (error) {
      if (epoch === this.epoch && !this.closed) this.options.onError?.(error);
      return;
    }
    if (epoch !== this.epoch || this.closed) return;
    const recovered = this.wasUp;
    this.wasRecovery = recovered;
    this.isHealthy = this.wasUp = true;
    this.emit('up');
    if (recovered) this.options.onResubscribed?.(topics);
  }
}
