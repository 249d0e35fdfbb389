import { createHash } from 'node:crypto';
import {
  sanitizeLightHtml,
  type Author,
  type ChatMessage,
  type Component,
  type ConversationStatus,
  type MessageRole,
  type MessageStatus,
} from '@parley/protocol';
import type { ConversationRow, MessageRow } from '../db/tables/index.js';
import { initialState, type FlowState } from '../flows/engine.js';

/* Conversations and messages as the server holds them, and how they map from and to their rows. */

/**
 * A conversation as the chat service works on it. The live copy in memory is the truth for
 * conversations in use: turns update it synchronously and queue the same change for the database.
 */
export interface LiveConversation {
  id: string;
  companyId: string;
  flowId: string | null;
  status: ConversationStatus;
  flow: FlowState;
  lastSeq: number;
  /** The row's `state_version` this copy's state stands on (PostgreSQL; see `ConversationUpdates.allocating`). */
  stateVersion: number;
  isTerminal: boolean;
  assigneeId: string | null;
  visitorIp: string | null;
  visitorUserAgent: string | null;
  createdAt: string;
  /** Writes queued and not committed yet; a conversation with pending writes stays in memory. */
  pending: number;
  /** Client message ids queued and not committed yet, with their message (its seq final once committed) and commit. */
  pendingClientIds: Map<string, { message: { seq: number }; committed: Promise<unknown> }>;
  /** Set when a write failed: the live copy is dropped and re-read from the database. */
  failed: boolean;
  /**
   * Client ids of the conversation's latest committed messages that have one (at most
   * `RECENT_CLIENT_IDS`, oldest first), with their seq: what a resend is checked against. Read
   * with the conversation (`ConversationStore.get`), so the check never waits.
   */
  clientIds?: Map<string, number> | undefined;
  /** Page attributes the host page set (`Parley.setAttributes`); see `src/attributes/`. */
  attributes?: Record<string, string | number | boolean> | undefined;
  /** A dashboard "Try it" conversation: agents are not told of it and the inbox never lists it. */
  isTest?: boolean;
}

/** A message to store. Texts are sanitized on the way in. */
export interface NewMessage {
  role: MessageRole;
  components: Component[];
  clientId?: string;
  authorId?: string;
  author?: Author;
  elapsedMs?: number;
  status?: MessageStatus;
  error?: string;
}

/** Changes to a conversation made together with a turn's messages. */
export interface ConversationChanges {
  status?: ConversationStatus;
  flowId?: string;
  flow?: FlowState;
  isTerminal?: boolean;
  assigneeId?: string | null;
  closed?: boolean;
  /** The flow steps the write's turn ran (for the bot's funnel); no column of its own. */
  reached?: string[];
}

/**
 * A write found the conversation changed by another node since this node read it (PostgreSQL):
 * nothing of the write was stored, and the live copy is dropped. Read the conversation again and
 * decide again (`retryStale`).
 */
export class StaleConversation extends Error {
  constructor(readonly conversationId: string) {
    super('The conversation changed on another node; read it again');
    this.name = 'StaleConversation';
  }
}

/**
 * A write carried a client message id the conversation already stored, through another node
 * (PostgreSQL): nothing of the write was stored; `seq` is the stored message's.
 */
export class DuplicateClientMessage extends Error {
  constructor(
    readonly clientId: string,
    readonly seq: number,
  ) {
    super('This client message id is already stored');
    this.name = 'DuplicateClientMessage';
  }
}

/** How many times a decision is taken again after another node changed its conversation. */
export const STALE_RETRIES = 5;

/**
 * Whether a write failed for a reason that deciding again may not meet: another node changed the
 * conversation (`StaleConversation`), or PostgreSQL picked this transaction to break a deadlock
 * (`40P01`: two nodes' batches took shared rows, such as a company's counters, in different
 * orders) or a serialization conflict (`40001`). Nothing of such a write was stored.
 */
export function isTransientConflict(error: unknown): boolean {
  if (error instanceof StaleConversation) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

/**
 * Runs `attempt` and, when its write finds the conversation changed by another node (or lost a
 * deadlock), runs it again (it reads the conversation afresh), a few times. On SQLite the first
 * attempt is the last.
 */
export async function retryStale<T>(attempt: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isTransientConflict(error) || tries >= STALE_RETRIES) throw error;
    }
  }
}

/** SHA-256 of a session token, as stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function visitorMessages(messages: NewMessage[]): number {
  let count = 0;
  for (const m of messages) if (m.role === 'user') count++;
  return count;
}

/** The components with their texts sanitized; the same array when nothing needed it (a chat turn's usual case). */
export function sanitizeComponents(components: Component[]): Component[] {
  let sanitized: Component[] | undefined;
  for (let i = 0; i < components.length; i++) {
    const c = components[i]!;
    if (c.type !== 'text') continue;
    const text = sanitizeLightHtml(c.payload.text);
    if (text === c.payload.text) continue;
    sanitized ??= components.slice();
    sanitized[i] = { type: 'text', payload: { text } };
  }
  return sanitized ?? components;
}

/** A stored message row as clients see it. */
export function toChatMessage(row: MessageRow): ChatMessage {
  return {
    seq: row.seq,
    id: String(row.id),
    ...(row.client_id ? { client_id: row.client_id } : {}),
    role: row.role,
    ...(row.author_name ? { author: { name: row.author_name } } : {}),
    components: JSON.parse(row.components) as Component[],
    created_at: row.created_at,
    status: row.status,
  };
}

export function fromRow(row: ConversationRow): LiveConversation {
  const flow = { ...initialState(), ...(JSON.parse(row.flow_state) as Partial<FlowState>) };
  return {
    id: row.id,
    companyId: row.company_id,
    flowId: row.flow_id,
    status: row.status,
    flow,
    lastSeq: row.last_seq,
    stateVersion: row.state_version,
    isTerminal: row.is_terminal === 1,
    assigneeId: row.assignee_id,
    visitorIp: row.visitor_ip,
    visitorUserAgent: row.visitor_user_agent,
    createdAt: row.created_at,
    ...(row.is_test === 1 ? { isTest: true } : {}),
    pending: 0,
    pendingClientIds: new Map(),
    failed: false,
    ...(row.attributes ? { attributes: JSON.parse(row.attributes) as Record<string, string | number | boolean> } : {}),
  };
}

/** Visitor details recorded when a conversation starts. */
export interface VisitorInfo {
  ip?: string | undefined;
  userAgent?: string | undefined;
  /** The caller's own user id (the REST chat API's `user_id`), stored with the conversation. */
  visitorId?: string | undefined;
  /**
   * The conversation's id when the caller derives it (the REST API, from its first message), so
   * two nodes taking the same first message at once cannot open two conversations.
   */
  conversationId?: string | undefined;
}
