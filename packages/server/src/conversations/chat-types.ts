export type { VisitorInfo } from './conversation-model.js';
import type { ChatMessage, HandoffReason, HttpStep, RatingScale, VisitorInput } from '@parley/protocol';
import type { FlowState, FlowVars, HttpOutcome } from '../flows/engine.js';
import type { ConversationChanges, LiveConversation, NewMessage } from './conversations.js';
import type { Lead } from '../leads/leads.js';
import type { WriteEffect } from '../db/step.js';

/*
 * The shapes the chat service takes and gives, and its ports: what it needs from other
 * capabilities (AI, hand-off, insights, knowledge, `http` steps). The chat owns these interfaces;
 * the providers implement them and are handed to its constructor, so they never import the chat.
 * This file imports nothing from those providers.
 */

export type { VisitorInput } from '@parley/protocol';

/** Where an input came from, beside what it says. */
export interface InputSource {
  /** The client's message id: a resend with the same id is stored and answered once. */
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


/** A hand-off request carried by a write: why, and what the requester told the agents. */
export interface HandoffRequest {
  reason: HandoffReason;
  context?: string | undefined;
}

/** The hand-off's share of the write that moves a conversation to `waiting` (`HandoffHooks.prepare`). */
export interface HandoffPlan {
  messages: NewMessage[];
  position: number;
  record: () => WriteEffect;
}

/**
 * What the hand-off policy (handoff/policy.ts) adds to the chat service: it recognises a
 * visitor asking for a person, adds its notice and bookkeeping to the write that moves a
 * conversation to `waiting`, and tells the agents once that write is committed.
 */
export interface HandoffHooks {
  /** True when typed text asks for a person ("human", "talk to a person" ...). */
  asksForPerson(text: string): boolean;
  /**
   * Messages to add to the write, the visitor's place in the queue, and work to run in its
   * transaction. A promise where the place takes a round trip to count (PostgreSQL).
   */
  prepare(conversation: LiveConversation, request: HandoffRequest): HandoffPlan | PromiseLike<HandoffPlan>;
  /** Called after the write is committed and published. */
  announce(conversation: LiveConversation, request: HandoffRequest): void;
}

/** One question for the model, with what it should know. */
export interface AiQuestion {
  companyId: string;
  conversationId: string;
  ip: string | null;
  question: string;
  history: ChatMessage[];
  variables?: Record<string, unknown>;
  instructions?: string;
  /** Help-article passages to answer from (numbered from 1 in the prompt). */
  sources?: Array<{ title: string; heading: string; text: string }>;
  /** Receives the answer's text as it streams in. */
  onDelta?: (text: string) => void;
}

/** What came of a question: light HTML to show (and whether to hand over), or the failure. */
export type AiAnswer<E extends Error = Error> =
  | { ok: true; html: string; text: string; handoff?: { reason: string }; elapsedMs: number }
  | { ok: false; error: E; elapsedMs: number };

/**
 * What the AI capability (ai/ai.plugin.ts) adds to the chat service: answers to questions the
 * flow cannot take, and the turns of a flow's `ai` step.
 */
export interface AiHooks {
  enabled(companyId: string): boolean;
  /** Whether the conversation and its visitor's address may have another AI turn (counted across nodes with Redis). */
  allowTurn(conversationId: string, ip: string | null): boolean | Promise<boolean>;
  answer(question: AiQuestion): Promise<AiAnswer>;
  /** How long the company's provider may take to answer before the turn gives up (its `timeout_ms`). */
  timeoutMs(companyId: string): number;
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
  after?: (() => WriteEffect) | undefined;
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
  started(conversation: LiveConversation, path: string[] | undefined, terminal: boolean): WriteEffect;
  /** Marks a new conversation's first flow state with what the funnel counts of its greeting's steps. */
  beginFunnel(state: FlowState, path: string[] | undefined): void;
  /**
   * A visitor turn ran the flow steps `changes.reached` (`changes.isTerminal` when it reached an
   * `end` step). Called before the turn's write is queued, with the conversation as it stood; may
   * add to `changes.flow`. Returns what the write must record.
   */
  turn(conversation: LiveConversation, changes: ConversationChanges): WriteEffect;
  /** Messages not from the visitor (an agent's reply, a claim, a hand-back) were stored. */
  recorded(conversation: LiveConversation, messages: NewMessage[]): WriteEffect;
  /** The company's rating scale, for flow `rating` steps. */
  ratingScale(companyId: string): RatingScale;
  /** The rating prompt to add when a conversation is resolved this way, if the company asks for one. */
  ratingPrompt(conversation: LiveConversation, after: 'agent' | 'bot'): NewMessage[];
  /** Reads whether the conversation is rated, for `ratingPrompt` (another node may have stored the rating). */
  knowRating(conversation: LiveConversation): Promise<void>;
}

/** Makes an `http` step's request (the flow admin capability's runner, under the webhooks' guard). */
export type HttpStepRunner = (step: HttpStep, vars: FlowVars, companyId: string) => Promise<HttpOutcome>;

/**
 * The other capabilities the chat service works with, each optional: without `handoff` a hand-off
 * only sets the status to `waiting`; without `ai` unrecognised input gets the flow's error and
 * prompt; without `knowledge` only an AI (or nothing) answers free questions; without `insights`
 * nothing is recorded for reports; without `http` an `http` step takes its `on_error` branch.
 */
export interface ChatPorts {
  handoff?: HandoffHooks | undefined;
  ai?: AiHooks | undefined;
  insights?: InsightsHooks | undefined;
  knowledge?: KnowledgeHooks | undefined;
  http?: HttpStepRunner | undefined;
}
