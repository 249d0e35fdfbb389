import pg from 'pg';
import type { DrillAgent } from './agent.js';
import { judgeDelivery, type DeliveryVerdict, type StoredMessage } from './check.js';
import type { DrillVisitor } from './visitor.js';
import type { SinkArrival } from './webhook-sink.js';

/** A stored message with what the agents' and webhooks' checks compare too. */
export interface StoredRow extends StoredMessage {
  id: string;
}

/** What the drill's PostgreSQL database holds at the end, by conversation. */
export interface StoredState {
  conversations: Map<string, { companyId: string; lastSeq: number; rows: StoredRow[] }>;
  messages: number;
  /** Messages whose conversation is missing (PostgreSQL's stand-in for SQLite's integrity check). */
  orphans: number;
}

/** Reads every conversation and message of the database at `url`. */
export async function readStored(url: string): Promise<StoredState> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const conversations: StoredState['conversations'] = new Map();
    const { rows: convs } = await client.query<{ id: string; company_id: string; last_seq: number }>('SELECT id, company_id, last_seq FROM conversations');
    for (const c of convs) conversations.set(c.id, { companyId: c.company_id, lastSeq: Number(c.last_seq), rows: [] });
    const { rows } = await client.query<StoredRow & { conversation_id: string }>(
      'SELECT conversation_id, id::text AS id, seq, role, client_id, components FROM messages ORDER BY conversation_id, seq, id',
    );
    let orphans = 0;
    for (const row of rows) {
      const conversation = conversations.get(row.conversation_id);
      if (!conversation) orphans++;
      else conversation.rows.push({ id: row.id, seq: Number(row.seq), role: row.role, client_id: row.client_id, components: row.components });
    }
    return { conversations, messages: rows.length, orphans };
  } finally {
    await client.end();
  }
}

/** How many webhook deliveries are still pending. */
export async function pendingDeliveries(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>("SELECT count(*) AS n FROM webhook_deliveries WHERE status <> 'succeeded'");
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

/** The visitors' verdict (`judgeDelivery`) against PostgreSQL. */
export function judgeVisitors(visitors: DrillVisitor[], stored: StoredState): DeliveryVerdict {
  const integrity = stored.orphans === 0 ? 'ok' : `${stored.orphans} messages without a conversation`;
  return judgeDelivery(visitors, (id) => {
    const c = stored.conversations.get(id);
    return { rows: c?.rows ?? [], lastSeq: c?.lastSeq };
  }, integrity);
}

/** What the agents' dashboards hold, against the database; every count but `received` must be 0. */
export interface AgentsVerdict {
  agents: number;
  /** Messages the dashboards hold, all agents together. */
  received: number;
  /** Of those, how many came by a fetch (a gap or a reconnection) rather than a frame. */
  fetched: number;
  /** Stored messages of an agent's company that its dashboard does not have. */
  missing: number;
  /** Messages held under a seq where the database has another message. */
  mismatched: number;
  /** Messages of another company's conversations (isolation). */
  foreign: number;
  /** Message frames not in strictly increasing seq order on one socket, per conversation. */
  outOfOrder: number;
  /** Seqs received twice as different messages, error frames, unexpected closes and refusals. */
  problems: number;
  reconnects: number;
  details: string[];
}

/** Compares each dashboard with every stored message of its company, and with nothing else. */
export function judgeAgents(agents: DrillAgent[], stored: StoredState): AgentsVerdict {
  const verdict: AgentsVerdict = { agents: agents.length, received: 0, fetched: 0, missing: 0, mismatched: 0, foreign: 0, outOfOrder: 0, problems: 0, reconnects: 0, details: [] };
  const note = (line: string) => verdict.details.length < 30 && verdict.details.push(line);
  for (const agent of agents) {
    verdict.fetched += agent.fetched;
    verdict.outOfOrder += agent.problems.outOfOrder;
    verdict.reconnects += agent.connections - 1;
    const problems = agent.problems.conflictingFrames + agent.problems.unexpected.length;
    if (problems || agent.problems.outOfOrder) note(`${agent.name}: ${JSON.stringify(agent.problems)}`);
    verdict.problems += problems;
    for (const [conversationId, seqs] of agent.seen) {
      verdict.received += seqs.size;
      const conversation = stored.conversations.get(conversationId);
      if (!conversation || conversation.companyId !== agent.companyId) {
        verdict.foreign += seqs.size;
        note(`${agent.name}: ${seqs.size} messages of conversation ${conversationId} of another company`);
        continue;
      }
      for (const [seq, seen] of seqs) {
        const row = conversation.rows[seq - 1];
        if (!row || row.seq !== seq || row.id !== seen.id || row.role !== seen.role || (row.client_id ?? undefined) !== seen.clientId) {
          verdict.mismatched++;
          note(`${agent.name}: ${conversationId} seq ${seq} held ${JSON.stringify(seen)}, stored ${JSON.stringify(row && { id: row.id, seq: row.seq, role: row.role })}`);
        }
      }
    }
    for (const [conversationId, conversation] of stored.conversations) {
      if (conversation.companyId !== agent.companyId) continue;
      const seqs = agent.seen.get(conversationId);
      const missing = conversation.rows.filter((row) => !seqs?.has(row.seq));
      if (missing.length) {
        verdict.missing += missing.length;
        note(`${agent.name}: misses seqs ${missing.map((r) => r.seq).join(',').slice(0, 120)} of ${conversationId}`);
      }
    }
  }
  return verdict;
}

/** Whether every dashboard holds every stored message of its company (to wait for at the end). */
export function agentsComplete(agents: DrillAgent[], stored: StoredState): boolean {
  return agents.every((agent) =>
    [...stored.conversations].every(([id, c]) => c.companyId !== agent.companyId || agent.contiguousSeq(id) >= c.rows.length),
  );
}

/** What each webhook endpoint received, against the database; every count but the first two must be 0. */
export interface WebhooksVerdict {
  endpoints: number;
  /** Requests received, all endpoints together. */
  requests: number;
  /** Events received more than once (allowed: delivery is at least once, docs/webhooks.md). */
  repeats: number;
  /** A repeat that did not follow its event's previous sending at once: something was sent between. */
  lateRepeats: number;
  /** First sendings of a conversation's message whose seq was not above the last one sent to that endpoint. */
  outOfOrder: number;
  /** Stored messages of the endpoint's company with no `message.created` sent to it. */
  missing: number;
  /** `message.created` events for no stored message, or for another one under that seq. */
  phantom: number;
  /** Events of another company (isolation). */
  foreign: number;
  /** Requests whose `webhook-signature` did not match the endpoint's secret. */
  badSignatures: number;
  details: string[];
}

/**
 * Checks each endpoint's requests in arrival order: every stored message of its company sent,
 * each conversation's messages in seq order, a repeat only of the event sent just before it
 * (the one a node died sending), nothing of another company, every request signed.
 */
export function judgeWebhooks(endpoints: Array<{ name: string; companyId: string; arrivals: SinkArrival[] }>, stored: StoredState): WebhooksVerdict {
  const verdict: WebhooksVerdict = { endpoints: endpoints.length, requests: 0, repeats: 0, lateRepeats: 0, outOfOrder: 0, missing: 0, phantom: 0, foreign: 0, badSignatures: 0, details: [] };
  const note = (line: string) => verdict.details.length < 30 && verdict.details.push(line);
  for (const { name, companyId, arrivals } of endpoints) {
    verdict.requests += arrivals.length;
    const seenEvents = new Set<string>();
    const sentMessages = new Set<string>();
    const lastSeq = new Map<string, number>();
    arrivals.forEach((arrival, i) => {
      if (!arrival.signed) verdict.badSignatures++;
      if (seenEvents.has(arrival.eventId)) {
        verdict.repeats++;
        if (arrivals[i - 1]?.eventId !== arrival.eventId) {
          verdict.lateRepeats++;
          note(`${name}: request ${i} repeats ${arrival.eventId} after ${arrivals[i - 1]?.eventId}`);
        }
        return;
      }
      seenEvents.add(arrival.eventId);
      if (arrival.companyId !== companyId) {
        verdict.foreign++;
        note(`${name}: request ${i} is an event of company ${arrival.companyId}`);
        return;
      }
      if (arrival.type !== 'message.created') return;
      const conversation = stored.conversations.get(arrival.conversationId!);
      const row = conversation?.rows[arrival.seq! - 1];
      if (!conversation || conversation.companyId !== companyId || !row || row.id !== arrival.messageId) {
        verdict.phantom++;
        note(`${name}: request ${i} announces ${arrival.conversationId} seq ${arrival.seq} (message ${arrival.messageId}), stored ${row?.id}`);
        return;
      }
      const before = lastSeq.get(arrival.conversationId!) ?? 0;
      if (arrival.seq! <= before) {
        verdict.outOfOrder++;
        note(`${name}: request ${i}: ${arrival.conversationId} seq ${arrival.seq} after seq ${before}`);
      }
      lastSeq.set(arrival.conversationId!, Math.max(before, arrival.seq!));
      sentMessages.add(arrival.messageId!);
    });
    for (const [conversationId, conversation] of stored.conversations) {
      if (conversation.companyId !== companyId) continue;
      const missing = conversation.rows.filter((row) => !sentMessages.has(row.id));
      if (missing.length) {
        verdict.missing += missing.length;
        note(`${name}: no event for seqs ${missing.map((r) => r.seq).join(',').slice(0, 120)} of ${conversationId}`);
      }
    }
  }
  return verdict;
}

/** The counts of a webhooks verdict that must be 0. */
export function webhookFailures(v: WebhooksVerdict): string[] {
  return (['lateRepeats', 'outOfOrder', 'missing', 'phantom', 'foreign', 'badSignatures'] as const).filter((k) => v[k] !== 0).map((k) => `webhooks ${k} = ${v[k]}`);
}

/** The counts of an agents verdict that must be 0. */
export function agentFailures(v: AgentsVerdict): string[] {
  const failures = (['missing', 'mismatched', 'foreign', 'outOfOrder', 'problems'] as const).filter((k) => v[k] !== 0).map((k) => `agents ${k} = ${v[k]}`);
  if (v.received === 0) failures.push('agents received nothing');
  return failures;
}
