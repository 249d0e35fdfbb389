import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { topics, type BusEvent } from '../../src/core/bus.js';
import { RedisBus, type RedisBusOptions } from '../../src/core/redis-bus.js';
import { until } from '../support/until.js';
import { describeWithRedis, redisScope } from './redis-support.js';

const companyId = 'c0mpany-0000';
const conversationId = 'c0nversation-0000';
const topic = topics.conversation(conversationId);

function read(seq: number): BusEvent {
  return { type: 'read', conversationId, companyId, seq, userId: 'agent-1' };
}

describeWithRedis('RedisBus', () => {
  let scope: ReturnType<typeof redisScope>;
  const buses: RedisBus[] = [];

  /** One "node": its own command connection and its bus. */
  async function node(options: Partial<RedisBusOptions> = {}): Promise<{ bus: RedisBus; redis: Redis }> {
    const redis = scope.connect();
    const bus = new RedisBus({ redis, prefix: scope.prefix, ...options });
    buses.push(bus);
    await until(() => bus.healthy, 'the subscriber to be ready');
    return { bus, redis };
  }

  beforeEach(() => {
    scope = redisScope();
  });

  afterEach(async () => {
    for (const bus of buses.splice(0)) await bus.close();
    await scope.cleanup();
  });

  it('delivers a thousand events from one node to the other once each and in order, and the sender sees its own once', async () => {
    const { bus: a } = await node();
    const { bus: b } = await node();
    const onA: number[] = [];
    const onB: number[] = [];
    a.subscribe(topic, (event) => onA.push(event.type === 'read' ? event.seq : -1));
    b.subscribe(topic, (event) => onB.push(event.type === 'read' ? event.seq : -1));
    await a.subscribed();
    await b.subscribed();

    for (let seq = 1; seq <= 1000; seq++) a.publish(topic, read(seq));
    // A's own events reach its handlers at once, without waiting for Redis.
    expect(onA).toHaveLength(1000);

    await until(() => onB.length >= 1000, 'node B to receive 1000 events');
    // B answers after it has everything; A's echoes of its own events come before B's answer on
    // A's connection, so once A has the answer, every echo has arrived (and was dropped).
    b.publish(topic, read(1001));
    await until(() => onA.includes(1001), "node A to receive node B's event");

    const expected = Array.from({ length: 1001 }, (_, i) => i + 1);
    expect(onA).toEqual(expected);
    expect(onB).toEqual(expected);
  });

  it('stops delivering to a handler that unsubscribed, and leaves the channel with its last handler', async () => {
    const { bus: a, redis } = await node();
    const { bus: b } = await node();
    const first: number[] = [];
    const second: number[] = [];
    const stopFirst = b.subscribe(topic, (event) => first.push(event.type === 'read' ? event.seq : -1));
    const stopSecond = b.subscribe(topic, (event) => second.push(event.type === 'read' ? event.seq : -1));
    await b.subscribed();
    const channel = `${scope.prefix}bus:${topic}`;
    expect(await redis.pubsub('NUMSUB', channel)).toEqual([channel, 1]);

    a.publish(topic, read(1));
    await until(() => first.length === 1 && second.length === 1, 'both handlers to receive the first event');
    stopFirst();
    a.publish(topic, read(2));
    await until(() => second.length === 2, 'the remaining handler to receive the second event');
    expect(first).toEqual([1]);
    await b.subscribed();
    expect(await redis.pubsub('NUMSUB', channel)).toEqual([channel, 1]);

    stopSecond();
    await b.subscribed();
    expect(await redis.pubsub('NUMSUB', channel)).toEqual([channel, 0]);
    expect(b.topics()).toEqual([]);
  });

  it('keeps delivering to the other handlers when one throws', async () => {
    const failures: unknown[] = [];
    const { bus: a } = await node({ onHandlerError: (error) => failures.push(error) });
    const { bus: b } = await node({ onHandlerError: (error) => failures.push(error) });
    const onA: BusEvent[] = [];
    const onB: BusEvent[] = [];
    for (const [bus, seen] of [[a, onA], [b, onB]] as const) {
      bus.subscribe(topic, () => {
        throw new Error('handler broke');
      });
      bus.subscribe(topic, (event) => seen.push(event));
    }
    await b.subscribed();

    a.publish(topic, read(1));
    await until(() => onB.length === 1, 'the healthy handler on node B');
    expect(onA).toHaveLength(1);
    expect(failures).toHaveLength(2);
    expect(String(failures[0])).toContain('handler broke');
  });

  it('says when the subscription is lost and comes back by itself, subscribed again, so the gap can be filled', async () => {
    const { bus: a, redis } = await node();
    const resubscribed: string[][] = [];
    const { bus: b } = await node({ onResubscribed: (list) => resubscribed.push(list) });
    const seen: number[] = [];
    b.subscribe(topic, (event) => seen.push(event.type === 'read' ? event.seq : -1));
    b.subscribe(topics.company(companyId), () => {});
    await b.subscribed();
    const changes: string[] = [];
    b.on('down', () => changes.push('down'));
    b.on('up', () => changes.push('up'));

    // Kill node B's subscriber connection only (other users of this Redis keep theirs).
    const clients = (await redis.call('CLIENT', 'LIST', 'TYPE', 'pubsub')) as string;
    const line = clients.split('\n').find((l) => l.includes(` name=${scope.prefix}bus:${b.nodeId} `));
    expect(line).toBeDefined();
    const id = /^id=(\d+) /.exec(line!)![1]!;
    await redis.call('CLIENT', 'KILL', 'ID', id);

    await until(() => changes.length === 2, 'down, then up');
    expect(changes).toEqual(['down', 'up']);
    expect(b.healthy).toBe(true);
    expect(resubscribed).toEqual([[topic, topics.company(companyId)]]);

    a.publish(topic, read(7));
    await until(() => seen.length === 1, 'delivery after the reconnect');
    expect(seen).toEqual([7]);
  });
});
