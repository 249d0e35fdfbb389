import type { Redis } from 'ioredis';
import { topics, type BusEvent, type EventBus } from './bus.js';
import { checkRedisPrefix, newNodeId } from './redis-connection.js';

/** Options of a {@link RedisPresence}. */
export interface RedisPresenceOptions {
  /** The process's command connection (never closed here). */
  redis: Redis;
  /** Where `presence` and `agent_presence` events go, as with the in-process tracker. */
  bus: EventBus;
  /** Starts every key (default `parley:`). */
  prefix?: string;
  /** This process's name in its entries (default: random). */
  nodeId?: string;
  /**
   * How long an entry lives without a heartbeat (default 30 s). A node that dies stops renewing
   * its entries: queries stop counting them after `ttlMs`, and the next sweep after that
   * publishes them offline, so a killed node's visitors and agents show offline within
   * `ttlMs + sweepMs` (35 s by default, under the 45 s promised).
   */
  ttlMs?: number;
  /** How often this node renews its entries (default 10 s: two may be lost before expiry). */
  heartbeatMs?: number;
  /** How often this node looks for entries of dead nodes (default 5 s). */
  sweepMs?: number;
  /** Redis failed during a heartbeat, sweep or change; it is retried on the next heartbeat. */
  onError?: (error: unknown) => void;
}

type Kind = 'v' | 'a';

/**
 * Keys, all under `<prefix>presence:` (ids are UUIDs, node ids hex; none holds a space):
 * - `e:v:<conversationId>`, `e:a:<userId>`: sorted set of node ids, scored by expiry (ms, Redis time).
 * - `c:v:<companyId>`, `c:a:<companyId>`: the company's conversations with a visitor online and its
 *   agents online, scored by their latest expiry, for the dashboard's lists.
 * - `n:<companyId>`: hash of agent id to display name.
 * - `all`: every entity as `<kind> <companyId> <id>`, scored by latest expiry, for the sweep.
 * Scripts build the key names from the prefix, so they need one Redis, not a cluster.
 * Times come from Redis's clock (`TIME`), so nodes whose clocks disagree still agree on expiry.
 */
const common = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local p = ARGV[1] .. 'presence:'
local function expire(key, ms)
  redis.call('PEXPIRE', key, ms, 'NX')
  redis.call('PEXPIRE', key, ms, 'GT')
end
-- Drops an entity everywhere once no live node holds it; returns true if it was dropped.
local function settle(kind, company, id)
  local e = p .. 'e:' .. kind .. ':' .. id
  redis.call('ZREMRANGEBYSCORE', e, '-inf', now)
  local all = kind .. ' ' .. company .. ' ' .. id
  local last = redis.call('ZRANGE', e, -1, -1, 'WITHSCORES')
  if #last == 0 then
    redis.call('DEL', e)
    redis.call('ZREM', p .. 'c:' .. kind .. ':' .. company, id)
    redis.call('ZREM', p .. 'all', all)
    return true
  end
  redis.call('ZADD', p .. 'c:' .. kind .. ':' .. company, last[2], id)
  redis.call('ZADD', p .. 'all', last[2], all)
  return false
end
`;

/** ARGV: prefix, node, ttl, then kind, company, id, name for each entity. Returns 1 for each that was offline everywhere. */
const touchScript = `${common}
local node, ttl = ARGV[2], tonumber(ARGV[3])
local exp = now + ttl
local news = {}
for i = 4, #ARGV, 4 do
  local kind, company, id, name = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local e = p .. 'e:' .. kind .. ':' .. id
  local c = p .. 'c:' .. kind .. ':' .. company
  redis.call('ZREMRANGEBYSCORE', e, '-inf', now)
  local count = redis.call('ZCARD', e)
  news[#news + 1] = (count == 0) and 1 or 0
  redis.call('ZADD', e, exp, node)
  expire(e, ttl)
  redis.call('ZADD', c, 'GT', exp, id)
  expire(c, ttl)
  redis.call('ZADD', p .. 'all', 'GT', exp, kind .. ' ' .. company .. ' ' .. id)
  if kind == 'a' then
    redis.call('HSET', p .. 'n:' .. company, id, name)
    -- Outlives the entries, so the sweep can still name an agent it publishes offline.
    expire(p .. 'n:' .. company, ttl * 2)
  end
end
return news
`;

/** ARGV: prefix, node, kind, company, id. Returns 1 if no node holds the entity any more. */
const leaveScript = `${common}
local node, kind, company, id = ARGV[2], ARGV[3], ARGV[4], ARGV[5]
redis.call('ZREM', p .. 'e:' .. kind .. ':' .. id, node)
if settle(kind, company, id) then
  if kind == 'a' then redis.call('HDEL', p .. 'n:' .. company, id) end
  return 1
end
return 0
`;

/** ARGV: prefix, limit. Returns kind, company, id, name for each entity no live node holds any more. */
const sweepScript = `${common}
local gone = {}
for _, m in ipairs(redis.call('ZRANGEBYSCORE', p .. 'all', '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))) do
  local kind, company, id = string.match(m, '^(%a) (%S+) (.+)$')
  if kind == nil then
    redis.call('ZREM', p .. 'all', m)
  elseif settle(kind, company, id) then
    local name = ''
    if kind == 'a' then
      name = redis.call('HGET', p .. 'n:' .. company, id) or ''
      redis.call('HDEL', p .. 'n:' .. company, id)
    end
    gone[#gone + 1] = kind
    gone[#gone + 1] = company
    gone[#gone + 1] = id
    gone[#gone + 1] = name
  end
end
return gone
`;

/** ARGV: prefix, key (after the presence prefix), [names key]. Live members, with names if asked. */
const listScript = `${common}
local ids = redis.call('ZRANGEBYSCORE', p .. ARGV[2], '(' .. now, '+inf')
if ARGV[3] == nil or #ids == 0 then return {ids, {}} end
return {ids, redis.call('HMGET', p .. ARGV[3], unpack(ids))}
`;

interface PresenceCommands {
  parleyPresenceTouch(...args: string[]): Promise<number[]>;
  parleyPresenceLeave(...args: string[]): Promise<number>;
  parleyPresenceSweep(...args: string[]): Promise<string[]>;
  parleyPresenceList(...args: string[]): Promise<[string[], Array<string | null>]>;
}

/** An entity this node holds sockets for. */
interface Local {
  kind: Kind;
  companyId: string;
  id: string;
  name: string;
  sockets: number;
}

/**
 * Who is connected, across every node: visitors per conversation and agents per user, with the
 * same first-in/last-out events as the in-process `PresenceTracker` (a visitor's or agent's
 * several tabs, even on several nodes, show as one presence).
 *
 * Each node counts its own sockets in memory and keeps one entry per visitor conversation and
 * per agent in Redis, with an expiry it renews every `heartbeatMs`. The first node to hold an
 * entity publishes it online; the last to let go publishes it offline; and when a node dies, the
 * sweep of any other node finds its expired entries (one Lua script, so exactly one node) and
 * publishes them offline. Queries count only entries that have not expired.
 *
 * Unlike the tracker, queries are asynchronous (they ask Redis), and a change resolves once Redis
 * has recorded it. Not wired into the app yet.
 */
export class RedisPresence {
  /** This process's name in its entries. */
  readonly nodeId: string;
  private readonly redis: Redis & PresenceCommands;
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly locals = new Map<string, Local>();
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: RedisPresenceOptions) {
    this.prefix = checkRedisPrefix(options.prefix ?? 'parley:');
    this.nodeId = options.nodeId ?? newNodeId();
    this.ttlMs = options.ttlMs ?? 30_000;
    this.redis = options.redis as Redis & PresenceCommands;
    const commands: Array<[keyof PresenceCommands, string]> = [
      ['parleyPresenceTouch', touchScript],
      ['parleyPresenceLeave', leaveScript],
      ['parleyPresenceSweep', sweepScript],
      ['parleyPresenceList', listScript],
    ];
    for (const [name, lua] of commands) if (!(name in this.redis)) this.redis.defineCommand(name, { numberOfKeys: 0, lua });
  }

  /** Starts the heartbeat and the sweep (timers that do not keep the process alive). */
  start(): void {
    if (this.timers.length) return;
    const every = (ms: number, run: () => Promise<unknown>) => {
      const timer = setInterval(() => void run().catch((error: unknown) => this.options.onError?.(error)), ms);
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.heartbeatMs ?? 10_000, () => this.heartbeat());
    every(this.options.sweepMs ?? 5_000, () => this.sweep());
  }

  /** Stops the timers and leaves nothing behind: this node's entities go offline now, not at expiry. */
  async close(): Promise<void> {
    this.stop();
    const locals = [...this.locals.values()];
    this.locals.clear();
    for (const local of locals) await this.leave(local);
  }

  /** Stops the timers only, as if the node had died: its entries expire. */
  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** A visitor socket joined a conversation. */
  async visitorConnected(conversation: { id: string; companyId: string }): Promise<void> {
    await this.connected('v', conversation.companyId, conversation.id, '');
  }

  /** A visitor socket of a conversation closed. */
  async visitorDisconnected(conversation: { id: string; companyId: string }): Promise<void> {
    await this.disconnected('v', conversation.id);
  }

  /** An agent socket opened. */
  async agentConnected(user: { id: string; companyId: string; name: string }): Promise<void> {
    await this.connected('a', user.companyId, user.id, user.name);
  }

  /** An agent socket closed. */
  async agentDisconnected(user: { id: string }): Promise<void> {
    await this.disconnected('a', user.id);
  }

  /** Whether a visitor of the conversation has a socket open on any node. */
  async isVisitorOnline(conversationId: string): Promise<boolean> {
    const [ids] = await this.redis.parleyPresenceList(this.prefix, `e:v:${conversationId}`);
    return ids.length > 0;
  }

  /** The company's conversations whose visitor has a socket open on any node. */
  async onlineVisitors(companyId: string): Promise<string[]> {
    const [ids] = await this.redis.parleyPresenceList(this.prefix, `c:v:${companyId}`);
    return ids;
  }

  /** The company's agents with a socket open on any node. */
  async onlineAgents(companyId: string): Promise<Array<{ id: string; name: string }>> {
    const [ids, names] = await this.redis.parleyPresenceList(this.prefix, `c:a:${companyId}`, `n:${companyId}`);
    return ids.map((id, i) => ({ id, name: names[i] ?? '' }));
  }

  /** Whether anyone of the company is online, on any node, to take a hand-off. */
  async anyAgentOnline(companyId: string): Promise<boolean> {
    return (await this.onlineAgents(companyId)).length > 0;
  }

  /** Sockets open on this node, visitors' and agents' (for metrics). */
  socketCounts(): { visitors: number; agents: number } {
    const counts = { visitors: 0, agents: 0 };
    for (const local of this.locals.values()) counts[local.kind === 'v' ? 'visitors' : 'agents'] += local.sockets;
    return counts;
  }

  /**
   * Renews every entry of this node. An entry that had expired meanwhile (Redis was away longer
   * than `ttlMs`, and a sweep published it offline) is published online again.
   */
  async heartbeat(): Promise<void> {
    const locals = [...this.locals.values()];
    if (!locals.length) return;
    const news = await this.redis.parleyPresenceTouch(this.prefix, this.nodeId, String(this.ttlMs), ...locals.flatMap((l) => [l.kind, l.companyId, l.id, l.name]));
    locals.forEach((local, i) => {
      if (news[i] === 1 && this.locals.get(key(local.kind, local.id)) === local) this.announce(local, true);
    });
  }

  /**
   * Publishes offline the entities whose every node stopped renewing them (died). Any node may
   * run it; each such entity is published by exactly one. Returns how many it found.
   */
  async sweep(limit = 500): Promise<number> {
    const gone = await this.redis.parleyPresenceSweep(this.prefix, String(limit));
    for (let i = 0; i < gone.length; i += 4) {
      const local: Local = { kind: gone[i] as Kind, companyId: gone[i + 1]!, id: gone[i + 2]!, name: gone[i + 3]!, sockets: 0 };
      this.announce(local, false);
    }
    return gone.length / 4;
  }

  private async connected(kind: Kind, companyId: string, id: string, name: string): Promise<void> {
    let local = this.locals.get(key(kind, id));
    if (!local) this.locals.set(key(kind, id), (local = { kind, companyId, id, name, sockets: 0 }));
    local.name = name;
    if (++local.sockets > 1) return;
    const [news] = await this.redis.parleyPresenceTouch(this.prefix, this.nodeId, String(this.ttlMs), kind, companyId, id, name);
    if (news === 1) this.announce(local, true);
  }

  private async disconnected(kind: Kind, id: string): Promise<void> {
    const local = this.locals.get(key(kind, id));
    if (!local || --local.sockets > 0) return;
    this.locals.delete(key(kind, id));
    await this.leave(local);
  }

  private async leave(local: Local): Promise<void> {
    const gone = await this.redis.parleyPresenceLeave(this.prefix, this.nodeId, local.kind, local.companyId, local.id);
    if (gone === 1) this.announce(local, false);
  }

  /** Publishes a first-in or last-out on the company's topic (its dashboards) and its presence topic (the nodes' mirrors). */
  private announce(local: Local, online: boolean): void {
    const event: BusEvent =
      local.kind === 'v'
        ? { type: 'presence', conversationId: local.id, companyId: local.companyId, online }
        : { type: 'agent_presence', companyId: local.companyId, userId: local.id, name: local.name, online };
    this.options.bus.publish(topics.company(local.companyId), event);
    this.options.bus.publish(topics.presence(local.companyId), event);
  }
}

function key(kind: Kind, id: string): string {
  return `${kind} ${id}`;
}
