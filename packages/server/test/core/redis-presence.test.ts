import { afterEach, beforeEach, expect, it } from 'vitest';
import { topics, type BusEvent, type EventBus } from '../../src/core/bus.js';
import { RedisPresence, type RedisPresenceOptions } from '../../src/core/redis-presence.js';
import { until } from '../support/until.js';
import { describeWithRedis, redisScope } from './redis-support.js';

const companyId = 'c0mpany-0001';
const conversation = { id: 'c0nversation-0001', companyId };
const ada = { id: 'agent-ada', companyId, name: 'Ada' };
const bob = { id: 'agent-bob', companyId, name: 'Bob' };

/**
 * A bus that records what a node announces on the company's topic, and checks that each event
 * goes to the company's presence topic too, right after (what the nodes' mirrors listen to).
 */
function recordingBus(): EventBus & { events: BusEvent[] } {
  const events: BusEvent[] = [];
  let awaiting: BusEvent | undefined;
  return {
    events,
    publish: (topic, event) => {
      if (topic === topics.company(companyId)) {
        expect(awaiting).toBeUndefined();
        events.push(event);
        awaiting = event;
        return;
      }
      expect(topic).toBe(topics.presence(companyId));
      expect(event).toBe(awaiting);
      awaiting = undefined;
    },
    subscribe: () => () => {},
  };
}

describeWithRedis('RedisPresence', () => {
  let scope: ReturnType<typeof redisScope>;
  const nodes: RedisPresence[] = [];

  function node(options: Partial<RedisPresenceOptions> = {}): { presence: RedisPresence; events: BusEvent[] } {
    const bus = recordingBus();
    const presence = new RedisPresence({ redis: scope.connect(), bus, prefix: scope.prefix, ...options });
    nodes.push(presence);
    return { presence, events: bus.events };
  }

  beforeEach(() => {
    scope = redisScope();
  });

  afterEach(async () => {
    for (const presence of nodes.splice(0)) presence.stop();
    await scope.cleanup();
  });

  it('shows a visitor with tabs on two nodes online once, until the last tab closes', async () => {
    const a = node();
    const b = node();
    await a.presence.visitorConnected(conversation);
    await a.presence.visitorConnected(conversation);
    await b.presence.visitorConnected(conversation);
    expect(a.events).toEqual([{ type: 'presence', conversationId: conversation.id, companyId, online: true }]);
    expect(b.events).toEqual([]);
    expect(await b.presence.isVisitorOnline(conversation.id)).toBe(true);
    expect(await b.presence.onlineVisitors(companyId)).toEqual([conversation.id]);
    expect(a.presence.socketCounts()).toEqual({ visitors: 2, agents: 0 });

    await a.presence.visitorDisconnected(conversation);
    await a.presence.visitorDisconnected(conversation);
    expect(a.events).toHaveLength(1);
    expect(await a.presence.isVisitorOnline(conversation.id)).toBe(true);

    await b.presence.visitorDisconnected(conversation);
    expect(b.events).toEqual([{ type: 'presence', conversationId: conversation.id, companyId, online: false }]);
    expect(await a.presence.isVisitorOnline(conversation.id)).toBe(false);
    expect(await a.presence.onlineVisitors(companyId)).toEqual([]);
  });

  it("lists a company's agents online on any node, by name", async () => {
    const a = node();
    const b = node();
    expect(await a.presence.anyAgentOnline(companyId)).toBe(false);
    await a.presence.agentConnected(ada);
    await b.presence.agentConnected(bob);
    await b.presence.agentConnected(ada);
    const online = await a.presence.onlineAgents(companyId);
    expect(online.sort((x, y) => x.id.localeCompare(y.id))).toEqual([
      { id: ada.id, name: 'Ada' },
      { id: bob.id, name: 'Bob' },
    ]);
    expect(await b.presence.onlineAgents('another-company')).toEqual([]);
    expect([...a.events, ...b.events].filter((e) => e.type === 'agent_presence' && e.online)).toHaveLength(2);

    await a.presence.close();
    expect(await b.presence.onlineAgents(companyId)).toHaveLength(2);
    await b.presence.agentDisconnected(bob);
    expect(b.events.at(-1)).toEqual({ type: 'agent_presence', companyId, userId: bob.id, name: 'Bob', online: false });
    expect(await b.presence.onlineAgents(companyId)).toEqual([{ id: ada.id, name: 'Ada' }]);
  });

  it('keeps the entries of a node that heartbeats alive past their expiry', async () => {
    const a = node({ ttlMs: 1_000, heartbeatMs: 100, sweepMs: 50 });
    a.presence.start();
    await a.presence.agentConnected(ada);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await a.presence.anyAgentOnline(companyId)).toBe(true);
    expect(a.events).toHaveLength(1);
  });

  it("shows a dead node's visitors and agents offline after the expiry, announced once by a live node", async () => {
    const dying = node({ ttlMs: 300 });
    const live = node({ ttlMs: 300, heartbeatMs: 80, sweepMs: 50 });
    const other = node({ ttlMs: 300 });
    await dying.presence.visitorConnected(conversation);
    await dying.presence.agentConnected(ada);
    // `dying` never renews its entries: it stands for a node that was killed.
    const diedAt = Date.now();
    await live.presence.agentConnected(bob);
    live.presence.start();

    await until(async () => !(await live.presence.isVisitorOnline(conversation.id)), 'the visitor to show offline', 5_000);
    await until(async () => (await live.presence.onlineAgents(companyId)).length === 1, 'Ada to show offline', 5_000);
    expect(await live.presence.onlineAgents(companyId)).toEqual([{ id: bob.id, name: 'Bob' }]);
    expect(Date.now() - diedAt).toBeGreaterThanOrEqual(250);

    await until(() => live.events.length >= 3, 'the sweep to announce the departures', 5_000);
    // Another node sweeping as well finds nothing left: each departure is announced once.
    expect(await other.presence.sweep()).toBe(0);
    expect(live.events.slice(1).sort((x, y) => x.type.localeCompare(y.type))).toEqual([
      { type: 'agent_presence', companyId, userId: ada.id, name: 'Ada', online: false },
      { type: 'presence', conversationId: conversation.id, companyId, online: false },
    ]);
    expect(await live.presence.anyAgentOnline(companyId)).toBe(true);
  });
});
