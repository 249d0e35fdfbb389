import type { ChatMessage, FormValues, HandoffReason, RatingScale } from '@parley/protocol';
import type { AiAnswer, AiQuestion } from '../ai/ai.plugin.js';
import type { LiveConversation, NewMessage } from './conversations.js';
import type { Lead } from '../leads/leads.js';

/* The shapes the chat service takes and gives, and the hooks other capabilities attach to it. */

/**
 * What a visitor sent: typed text, a click, a request for a person (the widget's button; `value`
 * is the label stored as their message), or a filled-in form, with the client's message id when
 * it gave one.
 */
export interface VisitorInput {
  kind: 'text' | 'action' | 'handoff' | 'form';
  value: string;
  /** The form's id and values (kind `form`). */
  form?: { id: string; values: FormValues } | undefined;
  clientId?: string | undefined;
  /** The connection that sent it: it gets an `ack` instead of its own message back. */
  origin?: string | undefined;
}

/** The outcome of one visitor input. */
export interface TurnResult {
  conversation: LiveConversation;
  /** Sequence number of the visitor's stored message. */
  userSeq: number;
  /** What answered it (the bot's reply; empty while a person has the conversation). */
  replies: ChatMessage[];
  isTerminal: boolean;
  /** The client message id was already stored: nothing new was stored or answered. */
  duplicate: boolean;
  /** Leads this turn stored (a flow's `lead` step, a form with `lead: true`). */
  leads?: Lead[];
}

/** Visitor details recorded when a conversation starts. */
export interface VisitorInfo {
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/** A hand-off request carried by a write: why, and what the requester told the agents. */
export interface HandoffRequest {
  reason: HandoffReason;
  context?: string | undefined;
}

/**
 * What the hand-off capability (handoff/handoff.ts) adds to the chat service: it recognises a
 * visitor asking for a person, adds its notice and bookkeeping to the write that moves a
 * conversation to `waiting`, and tells the agents once that write is committed.
 */
export interface HandoffHooks {
  /** True when typed text asks for a person ("human", "talk to a person" ...). */
  asksForPerson(text: string): boolean;
  /** Messages to add to the write, the visitor's place in the queue, and work to run in its transaction. */
  prepare(conversation: LiveConversation, request: HandoffRequest): { messages: NewMessage[]; position: number; record: () => void };
  /** Called after the write is committed and published. */
  announce(conversation: LiveConversation, request: HandoffRequest): void;
}

/**
 * What the AI capability (ai/ai.plugin.ts) adds to the chat service: answers to questions the
 * flow cannot take, and the turns of a flow's `ai` step.
 */
export interface AiHooks {
  enabled(companyId: string): boolean;
  allowTurn(conversationId: string, ip: string | null): boolean;
  answer(question: AiQuestion): Promise<AiAnswer>;
}

/** A passage of a help article that answers a question, and how sure the search is (0..1). */
export interface KnowledgeHit {
  articleId: string;
  title: string;
  heading: string;
  /** The passage's text, plain. */
  text: string;
  /** 0..1: the share of the question's meaning (IDF-weighted words) the passage covers. */
  score: number;
}

/**
 * What the knowledge base (src/knowledge) adds to the chat service: answers from the company's
 * published articles where the bot cannot take free text, and sources for the AI's answers.
 */
export interface KnowledgeHooks {
  /** The best passages for a question, one per article, best first (at most `limit`). */
  search(companyId: string, question: string, limit?: number): Promise<KnowledgeHit[]>;
  /** The confidence a hit needs to be given as an answer. */
  threshold(companyId: string): number;
  /** Whether the company has any published article (so a company without costs no search). */
  hasArticles(companyId: string): boolean;
  /** The help-center page of an article, as a path on this server. */
  urlOf(companyId: string, articleId: string): string;
  /** Counts a visitor's "yes, that answered my question". */
  helpful(companyId: string, articleId: string): Promise<void>;
}

/** Options of `ChatService.record`. */
export interface RecordOptions {
  /** The connection that caused the write: it gets an `ack` for messages with a client id. */
  origin?: string | undefined;
  /** Work to run last inside the write's transaction. */
  after?: (() => void) | undefined;
  /** Extra details for the visitor's `state` frame (sent when the status changes, or when given). */
  state?: { position?: number; agent?: { name: string } } | undefined;
}

/**
 * What insights (reports and CSAT) need from the chat: calls made inside the write that stores a
 * conversation's start, a turn, or an agent's action (they must only run SQL), and the rating
 * prompt a resolution adds.
 */
export interface InsightsHooks {
  /** A new conversation, with the flow steps its greeting ran. */
  started(conversation: LiveConversation, path: string[] | undefined, terminal: boolean): void;
  /** A visitor turn ran these flow steps; `terminal` when it reached an `end` step. */
  turn(conversation: LiveConversation, path: string[] | undefined, terminal: boolean): void;
  /** Messages not from the visitor (an agent's reply, a claim, a hand-back) were stored. */
  recorded(conversation: LiveConversation, messages: NewMessage[]): void;
  /** The company's rating scale, for flow `rating` steps. */
  ratingScale(companyId: string): RatingScale;
  /** The rating prompt to add when a conversation is resolved this way, if the company asks for one. */
  ratingPrompt(conversation: LiveConversation, after: 'agent' | 'bot'): NewMessage[];
}
