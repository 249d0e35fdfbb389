import { afterEach, expect, it, vi } from 'vitest';
import { MemoryBus } from '../../src/core/bus.js';
import { RedisBus } from '../../src/core/redis-bus.js';
import { RedisPresence } from '../../src/core/redis-presence.js';
import { SharedPresence } from '../../src/core/shared-presence.js';
import { describeWithRedis, redisScope } from './redis-support.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** Node A as the app builds it, and node B whose announcements never reach A (as if A's subscription was down). */
async function nodes() {
  const scope = redisScope();
  closers.push(scope.cleanup);
  const errors: unknown[] = [];
  const bus = new RedisBus({ redis: scope.connect(), prefix: scope.prefix });
  const a = new SharedPresence(bus, new RedisPresence({ redis: scope.connect(), bus, prefix: scope.prefix }), (error) => errors.push(error));
  closers.push(() => bus.close());
  closers.push(() => a.close());
  const b = new RedisPresence({ redis: scope.connect(), bus: new MemoryBus(() => {}), prefix: scope.prefix });
  closers.push(() => b.close());
  await vi.waitFor(() => expect(bus.healthy).toBe(true));
  return { a, b, bus, errors };
}

describeWithRedis('SharedPresence', () => {
  it('answers synchronously from what Redis held when the company was first needed here', async () => {
    const { a, b, errors } = await nodes();
    await b.agentConnected({ id: 'u1', companyId: 'c1', name: 'Ann' });
    await b.visitorConnected({ id: 'v1', companyId: 'c1' });
    const told: boolean[] = [];
    a.onAvailability('c1', (online) => told.push(online), true);
    expect(a.anyAgentOnline('c1')).toBe(false); // not loaded yet
    await vi.waitFor(() => expect(told).toEqual([true]));
    expect(a.onlineAgents('c1')).toEqual([{ id: 'u1', name: 'Ann' }]);
    expect(a.isVisitorOnline('v1')).toBe(true);
    // Another company is not mirrored: nobody there, as far as this node knows.
    expect(a.anyAgentOnline('c2')).toBe(false);
    expect(errors).toEqual([]);
  });

  it("counts this node's agent before it resolves, and reloads from Redis when the bus's subscription comes back", async () => {
    const { a, b, bus } = await nodes();
    const told: boolean[] = [];
    a.onAvailability('c1', (online) => told.push(online), true);
    await vi.waitFor(() => expect(told).toEqual([false]));
    await a.agentConnected({ id: 'me', companyId: 'c1', name: 'Me' });
    expect(a.onlineAgents('c1')).toEqual([{ id: 'me', name: 'Me' }]);
    expect(told).toEqual([false, true]);

    // Node B's agent and visitor arrive while A hears nothing of them...
    await b.agentConnected({ id: 'u1', companyId: 'c1', name: 'Ann' });
    await b.visitorConnected({ id: 'v1', companyId: 'c1' });
    expect(a.onlineAgents('c1')).toHaveLength(1);
    expect(a.isVisitorOnline('v1')).toBe(false);
    // ...until the subscription is back: A reads the company again.
    bus.emit('up');
    await vi.waitFor(() => expect(a.isVisitorOnline('v1')).toBe(true));
    expect(a.onlineAgents('c1').map((agent) => agent.id).sort()).toEqual(['me', 'u1']);

    // A's agent leaves; B's agent still counts, so the visitors are not told anything.
    a.agentDisconnected({ id: 'me' });
    await vi.waitFor(() => expect(a.onlineAgents('c1')).toEqual([{ id: 'u1', name: 'Ann' }]));
    expect(told).toEqual([false, true]);
    // B's agent leaves unheard; after the next reload nobody is online and the listeners hear it.
    await b.agentDisconnected({ id: 'u1' });
    bus.emit('up');
    await vi.waitFor(() => expect(told).toEqual([false, true, false]));
    expect(a.anyAgentOnline('c1')).toBe(false);
  });
});
