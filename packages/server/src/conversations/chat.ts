import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import { HANDOFF_ACTION, HELPFUL_ACTION, type ChatMessage, type Component, type ConversationStatus, type HandoffReason } from '@parley/protocol';
import {
  advanceFlow,
  afterAiAnswer,
  afterHttp,
  currentPrompt,
  initialState,
  resumeFlow,
  shownInput,
  startFlow,
  userText,
  type FlowContext,
  type FlowInput,
  type FlowTurn,
  type FlowVars,
  type HttpOutcome,
} from '../flows/engine.js';
import type { Flow, HttpStep } from '@parley/protocol';
import { flowContext } from '../ai/prompt.js';
import { withAttributes } from '../attributes/attributes.service.js';
import { aiFallback, looksLikeQuestion, type AiFallbackReason } from '../ai/fallback.js';
import type { AiAnswer } from '../ai/ai.plugin.js';
import { newTicketReference } from '../lib/ids.js';
import { Errors } from '../errors.js';
import type { EventBus } from '../core/bus.js';
import type { Company, CompanyRepository } from '../companies/companies.js';
import type { ConversationChanges, ConversationStore, LiveConversation, NewMessage } from './conversations.js';
import type { FlowRegistry, StoredFlow } from '../flows/flows.plugin.js';
import type { Lead, LeadRepository } from '../leads/leads.js';
import type { Outbox } from '../core/outbox.js';
import { ChatAnnouncer } from './chat-announcer.js';
import type { UploadStore } from './uploads.js';
import type { AiHooks, HandoffHooks, HandoffRequest, InsightsHooks, KnowledgeHit, KnowledgeHooks, RecordOptions, TurnResult, VisitorInfo, VisitorInput } from './chat-types.js';
import { probes } from '../core/probes.js';
import { articleAnswer, citations, helpfulReply, noArticleFound } from '../knowledge/knowledge-replies.js';

export type { AiHooks, HandoffHooks, HandoffRequest, InsightsHooks, KnowledgeHit, KnowledgeHooks, RecordOptions, TurnResult, VisitorInfo, VisitorInput } from './chat-types.js';

/** What the flow engine sees of a visitor's input. */
function toFlowInput(input: VisitorInput): FlowInput {
  if (input.kind === 'form' && input.form) return { kind: 'form', form: input.form.id, values: input.form.values };
  if (input.kind === 'action') return { kind: 'action', value: input.value };
  return { kind: 'text', text: input.value };
}

/** Makes an `http` step's request (plugged in by the flow admin capability). */
export type HttpStepRunner = (step: HttpStep, vars: FlowVars, companyId: string) => Promise<HttpOutcome>;

/** `http` steps one visitor turn may run: a bound on what one message can make the server do. */
const MAX_HTTP_STEPS_PER_TURN = 4;

/**
 * The conversation engine behind both the HTTP API and the WebSocket: starts conversations,
 * takes visitor input through the company's flow, stores each turn as one write, and fans the
 * committed messages out on the bus.
 */
export class ChatService {
  constructor(
    private readonly conversations: ConversationStore,
    private readonly flows: FlowRegistry,
    private readonly companies: CompanyRepository,
    bus: EventBus,
    private readonly leads: LeadRepository,
    private readonly uploads: UploadStore,
    outbox: Outbox,
  ) {
    this.announce = new ChatAnnouncer(bus, outbox);
  }

  /** Outbox events inside writes, bus events after commits. */
  private readonly announce: ChatAnnouncer;

  private handoff: HandoffHooks | undefined;
  private ai: AiHooks | undefined;
  private insights: InsightsHooks | undefined;
  private knowledge: KnowledgeHooks | undefined;
  private http: HttpStepRunner | undefined;
  /** Conversations with an AI turn in flight: later input waits for it, so turns never interleave. */
  private readonly lanes = new Map<string, Promise<void>>();

  /** Plugs in live agents; without them a hand-off only sets the status to `waiting`. */
  attachHandoff(hooks: HandoffHooks): void {
    this.handoff = hooks;
  }

  /** Plugs in insights (reports' rollups and CSAT prompts); without them nothing is recorded for reports. */
  attachInsights(hooks: InsightsHooks): void {
    this.insights = hooks;
  }

  /** Plugs in `http` steps; without a runner they take their `on_error` branch. */
  attachHttp(runner: HttpStepRunner): void {
    this.http = runner;
  }

  /** Plugs in AI replies; without them unrecognized input gets the flow's error and prompt. */
  attachAi(hooks: AiHooks): void {
    this.ai = hooks;
  }

  /** Plugs in the knowledge base; without it only an AI (or nothing) answers free questions. */
  attachKnowledge(hooks: KnowledgeHooks): void {
    this.knowledge = hooks;
  }

  /**
   * Starts a conversation with the company's bot; resolves after its greeting is committed.
   * `opener` is the visitor's first message when they spoke first (a headless client), stored
   * before the greeting that answers it.
   */
  async start(company: Company, visitor: VisitorInfo = {}, opener?: { text: string; clientId?: string }, options: { flow?: StoredFlow; test?: boolean } = {}) {
    // `options`: the bot builder's "Try it" runs a draft in a test conversation hidden from the inbox.
    const stored = options.flow ?? this.flows.activeOrFail(company.id);
    let turn = startFlow(stored.flow, this.context(undefined, company.id));
    // Only a flow that calls out waits here: the usual start stays synchronous up to the write.
    if (turn.http) turn = await this.settleHttp(stored.flow, turn, company.id, undefined);
    const first: NewMessage[] = opener
      ? [{ role: 'user', components: [userText(opener.text)], ...(opener.clientId ? { clientId: opener.clientId } : {}) }]
      : [];
    const { conversation, token, committed } = this.conversations.create(
      { companyId: company.id, flowId: stored.id, ip: visitor.ip, userAgent: visitor.userAgent, ...(options.test ? { isTest: true } : {}) },
      turn.state,
      turn.terminal,
      turn.components.length ? [...first, { role: 'bot', components: turn.components }] : first,
      // Runs inside the write, after `create` has returned the conversation.
      (written) => {
        this.announce.recordMessages(conversation, written);
        this.insights?.started(conversation, turn.path, turn.terminal);
      },
    );
    const messages = await committed;
    this.announce.messages(conversation, messages);
    return { conversation, token, messages };
  }

  /**
   * The conversation of a session token, checked against the company the client came through.
   * 404 `not_found` for an unknown token (or another company's), 404 `session_closed` once closed.
   */
  resolveSession(token: string, company?: Company): LiveConversation {
    const conversation = this.conversations.bySessionToken(token);
    if (!conversation || (company && conversation.companyId !== company.id)) throw Errors.notFound('Unknown chatbot session');
    if (conversation.status === 'closed') throw Errors.sessionClosed();
    return conversation;
  }

  /**
   * Takes one visitor input. A client message id seen before is answered from what was stored
   * (nothing is stored or answered twice). Resolves after the turn is committed.
   */
  async handleInput(conversation: LiveConversation, input: VisitorInput): Promise<TurnResult> {
    if (conversation.status === 'closed') throw Errors.sessionClosed();
    if (probes.turn.hasSubscribers) probes.turn.publish({ companyId: conversation.companyId });
    if (input.clientId) {
      const existing = this.conversations.findClientMessage(conversation, input.clientId);
      if (existing) {
        const settled = await existing.committed?.then(
          () => true,
          () => false,
        );
        if (settled !== false) {
          return {
            conversation,
            userSeq: existing.seq,
            replies: this.conversations.repliesAfter(conversation.id, existing.seq),
            isTerminal: conversation.isTerminal,
            duplicate: true,
          };
        }
        // The first attempt failed to commit: take this one as new.
        conversation = this.conversations.get(conversation.id) ?? conversation;
      }
    }

    for (let lane = this.lanes.get(conversation.id); lane; lane = this.lanes.get(conversation.id)) {
      await lane;
      conversation = this.conversations.get(conversation.id) ?? conversation;
    }

    const clientId = input.clientId;
    const user = (components: Component[]): NewMessage => (clientId ? { role: 'user', components, clientId } : { role: 'user', components });

    if (conversation.status === 'waiting' || conversation.status === 'agent') {
      // A person has, or is about to have, the conversation: the bot stays silent.
      const [stored] = await this.commit(conversation, [user(shownInput(toFlowInput(input)))], {}, [], input.origin);
      return { conversation, userSeq: stored!.seq, replies: [], isTerminal: false, duplicate: false };
    }

    // A button's value arrives as text through the HTTP API.
    if ((input.kind === 'action' || input.kind === 'text') && input.value === HANDOFF_ACTION) input = { ...input, kind: 'handoff', value: 'Talk to a person' };
    if (input.kind === 'handoff' || (input.kind === 'text' && this.handoff?.asksForPerson(input.value))) {
      // The visitor asked for a person: the flow does not see this input.
      const handoff = { reason: 'visitor' as const };
      const stored = await this.commit(conversation, [user([userText(input.value)])], { status: 'waiting' }, [], input.origin, handoff);
      return { conversation, userSeq: stored[0]!.seq, replies: stored.slice(1), isTerminal: false, duplicate: false };
    }

    const flow = this.flowOf(conversation);
    const state = flow.id === conversation.flowId ? conversation.flow : initialState();
    if ((input.kind === 'action' || input.kind === 'text') && input.value.startsWith(HELPFUL_ACTION)) {
      // "Yes" under an article answer: thanks, the vote, and the flow's question again.
      await this.knowledge?.helpful(conversation.companyId, input.value.slice(HELPFUL_ACTION.length)).catch(() => undefined);
      const reply = { role: 'bot' as const, components: [...helpfulReply(), ...currentPrompt(flow.flow, state)] };
      const stored = await this.commit(conversation, [user([userText('Yes')]), reply], {}, [], input.origin);
      return { conversation, userSeq: stored[0]!.seq, replies: stored.slice(1), isTerminal: conversation.isTerminal, duplicate: false };
    }
    const flowInput = toFlowInput(input);
    // Page attributes are read as `{{attributes.plan}}` but stay out of the stored flow state.
    let turn = advanceFlow(flow.flow, { ...state, vars: withAttributes(state.vars, conversation) }, flowInput, this.context(conversation));
    if (turn.http) turn = await this.inLane(conversation.id, this.settleHttp(flow.flow, turn, conversation.companyId, conversation));
    delete turn.state.vars.attributes;
    const question = input.kind === 'text' && (turn.unrecognized || (turn.invalid && looksLikeQuestion(input.value)));
    if (turn.ai || turn.search || (question && this.ai?.enabled(conversation.companyId))) {
      return this.aiTurn(conversation, flow, turn, input, user(turn.userComponents ?? [userText(input.value)]));
    }
    if (question && this.knowledge?.hasArticles(conversation.companyId)) {
      const answered = await this.articleTurn(conversation, input, user(turn.userComponents ?? [userText(input.value)]));
      if (answered) return answered;
    }
    const messages: NewMessage[] = [user(turn.userComponents ?? shownInput(flowInput))];
    if (turn.components.length) messages.push({ role: 'bot', components: turn.components });
    if (turn.terminal && this.insights) messages.push(...this.insights.ratingPrompt(conversation, 'bot'));
    const changes = this.changesOf(turn, conversation.status, flow.id);
    const handoff = turn.effects.some((e) => e.type === 'handoff') ? { reason: 'flow' as const } : undefined;
    const leads: Lead[] = [];
    const stored = await this.commit(conversation, messages, changes, turn.effects, input.origin, handoff, undefined, leads);
    return { conversation, userSeq: stored[0]!.seq, replies: stored.slice(1), isTerminal: turn.terminal, duplicate: false, leads };
  }

  /**
   * An AI turn: the visitor's message is committed (and acknowledged) at once; the model's answer
   * streams to the visitor as it is written, then is stored with what follows it: the flow's
   * question again, the `ai` step's next steps, or a hand-off the model asked for. When the model
   * fails or is rate-limited, the visitor gets a fallback with the offer of a person instead.
   */
  private async aiTurn(conversation: LiveConversation, flow: StoredFlow, turn: FlowTurn, input: VisitorInput, message: NewMessage): Promise<TurnResult> {
    let release!: () => void;
    this.lanes.set(conversation.id, new Promise<void>((resolve) => (release = resolve)));
    try {
      const [stored] = await this.commit(conversation, [message], { flowId: flow.id }, [], input.origin);
      const atStep = turn.ai !== undefined || turn.search === true;
      const replies = await this.aiReply(conversation, flow, turn.ai?.instructions, atStep, input.value, turn.search === true);
      return { conversation, userSeq: stored!.seq, replies, isTerminal: conversation.isTerminal, duplicate: false };
    } finally {
      this.lanes.delete(conversation.id);
      release();
    }
  }

  /**
   * A question the flow cannot take, answered from the company's articles (AI off): the best
   * passage as an `article` card and "Did that answer your question?", when the search is
   * confident; undefined (today's behaviour goes on) when it is not. The flow stays where it was.
   */
  private async articleTurn(conversation: LiveConversation, input: VisitorInput, message: NewMessage): Promise<TurnResult | undefined> {
    let release!: () => void;
    this.lanes.set(conversation.id, new Promise<void>((resolve) => (release = resolve)));
    try {
      const components = articleAnswer(await this.sources(conversation.companyId, input.value), this.knowledge!, conversation.companyId);
      if (!components) return undefined;
      const stored = await this.commit(conversation, [message, { role: 'bot', components }], {}, [], input.origin);
      return { conversation, userSeq: stored[0]!.seq, replies: stored.slice(1), isTerminal: conversation.isTerminal, duplicate: false };
    } finally {
      this.lanes.delete(conversation.id);
      release();
    }
  }

  /** The company's best passages for a question (none when it has no published article). */
  private async sources(companyId: string, question: string): Promise<KnowledgeHit[]> {
    if (!this.knowledge?.hasArticles(companyId)) return [];
    return this.knowledge.search(companyId, question, 3);
  }

  private async aiReply(conversation: LiveConversation, flow: StoredFlow, instructions: string | undefined, atStep: boolean, question: string, search = false): Promise<ChatMessage[]> {
    const state = conversation.flow;
    const streamId = randomUUID();
    let answer: AiAnswer | undefined;
    let unavailable: AiFallbackReason = 'off';
    const hits = await this.sources(conversation.companyId, question);
    // The model sees passages that share something with the question, best first.
    const sources = hits.filter((h) => h.score >= 0.25);
    if (this.ai?.enabled(conversation.companyId)) {
      unavailable = 'limited';
      if (this.ai.allowTurn(conversation.id, conversation.visitorIp)) {
        this.typing(conversation, 'bot', true);
        answer = await this.ai.answer({
          companyId: conversation.companyId,
          conversationId: conversation.id,
          ip: conversation.visitorIp,
          question,
          history: this.conversations.messagesAfter(conversation.id, Math.max(0, conversation.lastSeq - 101), 100).slice(0, -1),
          variables: flowContext(flow.flow, withAttributes(state.vars, conversation)),
          ...(instructions ? { instructions } : {}),
          ...(sources.length ? { sources: sources.map(({ title, heading, text }) => ({ title, heading, text })) } : {}),
          onDelta: (delta) => this.announce.stream(conversation, streamId, delta),
        });
        this.typing(conversation, 'bot', false);
      }
    }

    const messages: NewMessage[] = [];
    const fromArticles = answer?.ok || !this.knowledge ? undefined : articleAnswer(hits, this.knowledge, conversation.companyId);
    if (answer?.ok) {
      const cited = this.knowledge ? citations(answer.text, sources, this.knowledge, conversation.companyId) : [];
      if (answer.text.trim()) messages.push({ role: 'bot', components: [{ type: 'text', payload: { text: answer.html } }, ...cited], elapsedMs: answer.elapsedMs });
    } else if (fromArticles) {
      // No model answer (off, limited or failing), but an article answers it.
      messages.push({ role: 'bot', components: fromArticles });
    } else if (search && !answer) {
      messages.push({ role: 'bot', components: noArticleFound() });
    } else {
      const failure = answer ? { status: 'error' as const, error: answer.error.message, elapsedMs: answer.elapsedMs } : {};
      messages.push({ role: 'bot', components: aiFallback(answer ? 'failed' : unavailable), ...failure });
    }

    // A person took the conversation while the model was writing: the bot says nothing more.
    if (conversation.status === 'waiting' || conversation.status === 'agent') return this.commit(conversation, messages, {}, [], undefined, undefined, streamId);
    if (answer?.ok && answer.handoff) {
      return this.commit(conversation, messages, { status: 'waiting' }, [], undefined, { reason: 'ai', context: answer.handoff.reason }, streamId);
    }
    if (atStep) {
      let next = afterAiAnswer(flow.flow, state, answer?.ok ? answer.text : undefined, this.context(conversation));
      if (next.http) next = await this.settleHttp(flow.flow, next, conversation.companyId, conversation);
      if (next.components.length) messages.push({ role: 'bot', components: next.components });
      const handoff = next.effects.some((e) => e.type === 'handoff') ? { reason: 'flow' as const } : undefined;
      return this.commit(conversation, messages, this.changesOf(next, conversation.status), next.effects, undefined, handoff, streamId);
    }
    const prompt = currentPrompt(flow.flow, state);
    if (prompt.length) messages.push({ role: 'bot', components: prompt });
    return this.commit(conversation, messages, {}, [], undefined, undefined, streamId);
  }

  /**
   * Hands a conversation to a person (an AI tool call, an external bot, the agents' API): the bot
   * falls silent, the visitor is told their place in the queue and the company's agents are told.
   * Does nothing while a person already has it or is being asked for.
   *
   * @example await app.chat.requestHandoff(conversation, 'ai', { context: 'Wants a refund over 500 EUR' })
   */
  async requestHandoff(conversation: LiveConversation, reason: HandoffReason, options: { context?: string } = {}): Promise<ChatMessage[]> {
    if (conversation.status === 'closed') throw Errors.sessionClosed();
    if (conversation.status === 'waiting' || conversation.status === 'agent') return [];
    return this.commit(conversation, [], { status: 'waiting' }, [], undefined, { reason, ...options });
  }

  /**
   * Stores messages and changes that do not come from the visitor (an agent's reply, a claim, a
   * hand-back) as one write, then publishes them. Resolves after the commit.
   */
  async record(conversation: LiveConversation, messages: NewMessage[], changes: ConversationChanges = {}, options: RecordOptions = {}): Promise<ChatMessage[]> {
    if (conversation.status === 'closed') throw Errors.sessionClosed();
    const statusBefore = conversation.status;
    const stored = await this.conversations.append(conversation, messages, changes, undefined, (written) => {
      this.announce.recordMessages(conversation, written);
      this.insights?.recorded(conversation, messages);
      options.after?.();
    });
    this.announce.messages(conversation, stored, options.origin);
    if (conversation.status !== statusBefore || options.state) this.announce.state(conversation, conversation.status, options.state);
    return stored;
  }

  /**
   * What the bot says when a conversation comes back to it: the waiting step's question again, or
   * the flow from the start when it had ended. Add the result to the write that hands it back.
   */
  botResumption(conversation: LiveConversation): { messages: NewMessage[]; changes: ConversationChanges } {
    const flow = this.flowOf(conversation);
    const state = flow.id === conversation.flowId ? conversation.flow : initialState();
    const turn = resumeFlow(flow.flow, state, this.context(conversation));
    return {
      messages: turn.components.length ? [{ role: 'bot', components: turn.components }] : [],
      changes: { flow: turn.state, flowId: flow.id, isTerminal: turn.terminal },
    };
  }

  /** The rating prompt to add when a conversation is resolved (none unless the company asks for one). */
  ratingPrompt(conversation: LiveConversation, after: 'agent' | 'bot'): NewMessage[] {
    return this.insights?.ratingPrompt(conversation, after) ?? [];
  }

  /** Closes a conversation for good; its session can no longer be used. */
  async close(conversation: LiveConversation): Promise<void> {
    if (conversation.status === 'closed') return;
    await this.conversations.append(conversation, [], { status: 'closed', closed: true });
    this.announce.state(conversation, 'closed');
  }

  /** Tells the other side that someone is typing (nothing is stored). */
  typing(conversation: LiveConversation, role: 'user' | 'bot' | 'agent', on: boolean, origin?: string, name?: string): void {
    this.announce.typing(conversation, role, on, origin, name);
  }

  private changesOf(turn: FlowTurn, status: ConversationStatus, flowId?: string): ConversationChanges {
    const changes: ConversationChanges = { flow: turn.state, isTerminal: turn.terminal };
    if (turn.path) changes.reached = turn.path;
    if (turn.effects.some((e) => e.type === 'handoff')) changes.status = 'waiting';
    else if (status === 'resolved') changes.status = 'bot';
    if (flowId !== undefined) changes.flowId = flowId;
    return changes;
  }

  /** Stores a turn with its effects as one write, then publishes what was committed. */
  private async commit(
    conversation: LiveConversation,
    messages: NewMessage[],
    changes: ConversationChanges,
    effects: FlowTurn['effects'],
    origin?: string,
    handoff?: HandoffRequest,
    streamId?: string,
    /** Receives the leads the write stores. */
    collect?: Lead[],
  ): Promise<ChatMessage[]> {
    const request = handoff && this.handoff ? this.handoff.prepare(conversation, handoff) : undefined;
    if (request) messages = [...messages, ...request.messages];
    const leads: Lead[] = [];
    for (const effect of effects) {
      if (effect.type !== 'lead') continue;
      const lead = this.leads.create({ companyId: conversation.companyId, conversationId: conversation.id, source: effect.source ?? 'flow', data: effect.data });
      leads.push(lead);
      collect?.push(lead);
    }
    const statusBefore = conversation.status;
    const stored = await this.conversations.append(
      conversation,
      messages,
      changes,
      undefined,
      (written) => {
        this.announce.recordMessages(conversation, written);
        for (const lead of leads) this.leads.insertNow(lead);
        request?.record();
        if (changes.reached) this.insights?.turn(conversation, changes.reached, changes.isTerminal === true);
      },
    );
    this.announce.messages(conversation, stored, origin, streamId);
    if (conversation.status !== statusBefore) this.announce.state(conversation, conversation.status, request ? { position: request.position } : undefined);
    for (const lead of leads) this.leads.publish(lead);
    if (request && handoff) this.handoff?.announce(conversation, handoff);
    return stored;
  }

  /**
   * Makes the requests of the `http` steps a turn reached and runs on after each (see
   * `afterHttp`), at most `MAX_HTTP_STEPS_PER_TURN` of them; further ones take their error branch.
   */
  private async settleHttp(flow: Flow, turn: FlowTurn, companyId: string, conversation: LiveConversation | undefined): Promise<FlowTurn> {
    for (let count = 0; turn.http; count++) {
      const step = flow.steps[turn.http.step];
      let outcome: HttpOutcome = { ok: false, error: 'HTTP steps are not available' };
      if (count >= MAX_HTTP_STEPS_PER_TURN) outcome = { ok: false, error: 'Too many requests in one turn' };
      else if (step?.type === 'http' && this.http) {
        if (conversation) this.typing(conversation, 'bot', true);
        outcome = await this.http(step, turn.state.vars, companyId);
        if (conversation) this.typing(conversation, 'bot', false);
      }
      turn = afterHttp(flow, turn, outcome, this.context(conversation));
    }
    return turn;
  }

  /** Holds later input of a conversation until `work` is done, so turns never interleave. */
  private async inLane<T>(conversationId: string, work: Promise<T>): Promise<T> {
    let release!: () => void;
    this.lanes.set(conversationId, new Promise<void>((resolve) => (release = resolve)));
    try {
      return await work;
    } finally {
      this.lanes.delete(conversationId);
      release();
    }
  }

  /** The flow a conversation runs: the one it started with, or its company's active flow. */
  private flowOf(conversation: LiveConversation): StoredFlow {
    return (conversation.flowId ? this.flows.get(conversation.flowId) : undefined) ?? this.flows.activeOrFail(conversation.companyId);
  }

  private context(conversation: LiveConversation | undefined, companyId = conversation?.companyId): FlowContext {
    return {
      ratingScale: () => (companyId && this.insights ? this.insights.ratingScale(companyId) : 'five'),
      uploadUrl: (value) => (conversation ? this.uploads.pathInConversation(value, conversation.id) : undefined),
      newTicket: newTicketReference,
      newId: randomUUID,
    };
  }

  /** The company a conversation belongs to. */
  companyOf(conversation: LiveConversation): Company | undefined {
    return this.companies.byIdOrUndefined(conversation.companyId);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    chat: ChatService;
  }
}

export default fp(
  async (app) => {
    app.decorate('chat', new ChatService(app.conversations, app.flows, app.companies, app.bus, app.leads, app.uploads, app.outbox));
  },
  { name: 'chat', dependencies: ['conversations', 'flows', 'companies', 'bus', 'leads', 'uploads', 'outbox'] },
);
