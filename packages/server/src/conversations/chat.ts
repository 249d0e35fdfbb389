import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import { HANDOFF_ACTION, HANDOFF_LABEL, HELPFUL_ACTION, Typing, componentsToText, type ChatMessage, type Component, type HandoffReason } from '@parley/protocol';
import { advanceFlow, afterAiAnswer, currentPrompt, resumeFlow, shownInput, startFlow, userText, type FlowInput, type FlowTurn } from '../flows/engine.js';
import { flowContext } from '../ai/prompt.js';
import { withAttributes } from '../attributes/attributes.service.js';
import { aiFallback, looksLikeQuestion, type AiFallbackReason } from '../ai/fallback.js';
import { KeyedLanes } from '../lib/keyed-lanes.js';
import { Errors } from '../errors.js';
import type { EventBus } from '../core/bus.js';
import type { Company, CompanyRepository } from '../companies/companies.js';
import { DuplicateClientMessage, STALE_RETRIES, isTransientConflict, type ConversationChanges, type ConversationStore, type LiveConversation, type NewMessage } from './conversations.js';
import type { FlowRegistry, StoredFlow } from '../flows/flows.plugin.js';
import type { Lead, LeadRepository } from '../leads/leads.js';
import type { Outbox } from '../core/outbox.js';
import { ChatAnnouncer } from './chat-announcer.js';
import { ChatWriter, type CommitOptions } from './chat-writer.js';
import { ChatFlows, changesOf, handoffOf } from './chat-flows.js';
import type { UploadStore } from './uploads.js';
import type { AiAnswer, ChatPorts, InputSource, KnowledgeHit, RecordOptions, TurnResult, VisitorInfo, VisitorInput } from './chat-types.js';
import { probes } from '../core/probes.js';
import { articleAnswer, citations, helpfulReply, noArticleFound } from '../knowledge/knowledge-replies.js';
import { perform, type Work } from '../db/step.js';

export type * from './chat-types.js';

/** What the chat service is built from: the stores it writes through, and its ports (all optional). */
export interface ChatServiceOptions extends ChatPorts {
  conversations: ConversationStore;
  flows: FlowRegistry;
  companies: CompanyRepository;
  bus: EventBus;
  leads: LeadRepository;
  uploads: UploadStore;
  outbox: Outbox;
}

/** The visitor's message as stored, with the client's id when it gave one. */
function visitorMessage(components: Component[], clientId: string | undefined): NewMessage {
  return clientId ? { role: 'user', components, clientId } : { role: 'user', components };
}

/** The text of an input, as a question for the AI or the articles (a form has none). */
function textOf(input: FlowInput): string {
  return input.kind === 'text' ? input.text : input.kind === 'action' ? input.value : '';
}

/** What the visitor sees of their input once stored. */
function shown(input: VisitorInput): Component[] {
  return input.kind === 'handoff' ? [userText(HANDOFF_LABEL)] : shownInput(input);
}

/** A turn whose first stored message is the visitor's and the rest answers it. */
function answered(conversation: LiveConversation, stored: ChatMessage[], isTerminal: boolean, leads?: Lead[]): TurnResult {
  const result: TurnResult = { conversation, userSeq: stored[0]!.seq, replies: stored.slice(1), isTerminal, duplicate: false };
  if (leads) result.leads = leads;
  return result;
}

/**
 * The conversation engine behind both the HTTP API and the WebSocket: starts conversations,
 * takes visitor input through the company's flow, stores each turn as one write, and fans the
 * committed messages out on the bus. Other capabilities plug in through its ports (`ChatPorts`),
 * given to the constructor: they are built before it and never import it.
 */
/** Whether free text the flow could not take reads as a question (for the model or the articles). */
function isQuestion(turn: FlowTurn, text: string): boolean {
  return Boolean(turn.unrecognized || (turn.invalid && looksLikeQuestion(text)));
}

/** How much longer than the provider's timeout a question may wait before another node answers it. */
const LEFT_OVER_MARGIN_MS = 10_000;

export class ChatService {
  private readonly conversations: ConversationStore;
  private readonly companies: CompanyRepository;
  /** Which flow and state a conversation is at, the engine's services and `http` steps. */
  private readonly flows: ChatFlows;
  /** The ports; the writer reads the same object. */
  private readonly ports: ChatPorts;
  /** Outbox events inside writes, bus events after commits. */
  private readonly announce: ChatAnnouncer;
  private readonly writer: ChatWriter;
  /** Conversations with an AI turn (or an `http` step) in flight: later input waits, so turns never interleave. */
  private readonly lanes = new KeyedLanes();

  constructor(options: ChatServiceOptions) {
    const { conversations, flows, companies, bus, leads, uploads, outbox, handoff, ai, insights, knowledge, http } = options;
    this.conversations = conversations;
    this.companies = companies;
    this.ports = { handoff, ai, insights, knowledge, http };
    this.announce = new ChatAnnouncer(bus, outbox);
    this.flows = new ChatFlows(flows, uploads, this.announce, this.ports);
    this.writer = new ChatWriter(conversations, leads, this.announce, this.ports);
  }

  /**
   * Starts a conversation with the company's bot; resolves after its greeting is committed.
   * `opener` is the visitor's first message when they spoke first (a headless client), stored
   * before the greeting that answers it.
   */
  async start(company: Company, visitor: VisitorInfo = {}, opener?: { text: string; clientId?: string }, options: { flow?: StoredFlow; test?: boolean } = {}) {
    // A start that lost a deadlock stored nothing: start again (a few times).
    for (let tries = 1; ; tries++) {
      try {
        return await this.startOnce(company, visitor, opener, options);
      } catch (error) {
        if (!isTransientConflict(error) || tries >= STALE_RETRIES) throw error;
      }
    }
  }

  private async startOnce(company: Company, visitor: VisitorInfo, opener: { text: string; clientId?: string } | undefined, options: { flow?: StoredFlow; test?: boolean }) {
    // `options`: the bot builder's "Try it" runs a draft in a test conversation hidden from the inbox.
    const stored = options.flow ?? this.flows.active(company.id);
    let turn = startFlow(stored.flow, this.flows.context(undefined, company.id));
    // Only a flow that calls out waits here: the usual start stays synchronous up to the write.
    if (turn.http) turn = await this.flows.settleHttp(stored.flow, turn, company.id, undefined);
    this.ports.insights?.beginFunnel(turn.state, turn.path);
    const first: NewMessage[] = opener ? [visitorMessage([userText(opener.text)], opener.clientId)] : [];
    const { conversation, token, committed } = this.conversations.create(
      { ...visitor, companyId: company.id, flowId: stored.id, ...(options.test ? { isTest: true } : {}) },
      turn.state,
      turn.terminal,
      turn.components.length ? [...first, { role: 'bot', components: turn.components }] : first,
      // Runs inside the write, after `create` has returned the conversation.
      (written) => this.startEffects(conversation, written, turn.path, turn.terminal),
    );
    const messages = await committed;
    this.announce.messages(conversation, messages);
    return { conversation, token, messages };
  }

  /**
   * What a new conversation's write stores beside its greeting: outbox events and the insights
   * rollups (a method, not a generator function made per start: see `ChatWriter`).
   */
  private *startEffects(conversation: LiveConversation, written: ChatMessage[], path: string[] | undefined, terminal: boolean): Work<void> {
    yield* perform(this.announce.recordMessages(conversation, written));
    if (this.ports.insights) yield* perform(this.ports.insights.started(conversation, path, terminal));
  }

  /**
   * The conversation of a session token, checked against the company the client came through.
   * 404 `not_found` for an unknown token (or another company's), 404 `session_closed` once closed.
   */
  async resolveSession(token: string, company?: Company): Promise<LiveConversation> {
    const conversation = await this.conversations.bySessionToken(token);
    if (!conversation || (company && conversation.companyId !== company.id)) throw Errors.notFound('Unknown chatbot session');
    if (conversation.status === 'closed') throw Errors.sessionClosed();
    return conversation;
  }

  /**
   * Takes one visitor input. A client message id seen before is answered from what was stored
   * (nothing is stored or answered twice). Resolves after the turn is committed. When another
   * node changed the conversation meanwhile (PostgreSQL), the turn is decided again on a fresh copy.
   */
  handleInput(conversation: LiveConversation, input: VisitorInput, source: InputSource = {}): Promise<TurnResult> {
    if (probes.turn.hasSubscribers) probes.turn.publish({ companyId: conversation.companyId });
    return this.attemptInput(conversation, input, source, 1);
  }

  /** One attempt at a turn; again on a fresh copy after another node's change (one promise more per turn, not an async wrapper). */
  private attemptInput(conversation: LiveConversation, input: VisitorInput, source: InputSource, tries: number): Promise<TurnResult> {
    return this.handleOnce(conversation, input, source).catch(async (error: unknown) => {
      // Another node stored this client id first: answer from what it stored.
      if (error instanceof DuplicateClientMessage) return this.storedAnswer(conversation, error.seq);
      if (!isTransientConflict(error) || tries >= STALE_RETRIES) throw error;
      // The copy that failed was dropped: read it afresh and decide again.
      return this.attemptInput((await this.conversations.get(conversation.id)) ?? conversation, input, source, tries + 1);
    });
  }

  private async handleOnce(conversation: LiveConversation, input: VisitorInput, source: InputSource): Promise<TurnResult> {
    if (conversation.status === 'closed') throw Errors.sessionClosed();
    const resent = source.clientId ? this.conversations.findClientMessage(conversation, source.clientId) : undefined;
    if (resent) {
      const settled = await resent.committed?.then(
        () => true,
        () => false,
      );
      if (settled !== false) return this.storedAnswer(conversation, resent.message.seq);
      // The first attempt failed to commit: take this one as new.
      conversation = await this.conversations.get(conversation.id) ?? conversation;
    }
    for (let lane = this.lanes.idle(conversation.id); lane; lane = this.lanes.idle(conversation.id)) {
      await lane;
      conversation = await this.conversations.get(conversation.id) ?? conversation;
    }

    // A person has, or is about to have, the conversation: the bot stays silent.
    if (conversation.status === 'waiting' || conversation.status === 'agent') return this.forPerson(conversation, input, source);
    // A button's value arrives as text through the HTTP API.
    const value = input.kind === 'text' ? input.text : input.kind === 'action' ? input.value : undefined;
    if (input.kind === 'handoff' || value === HANDOFF_ACTION) return this.askForPerson(conversation, HANDOFF_LABEL, source);
    if (input.kind === 'text' && this.ports.handoff?.asksForPerson(input.text)) return this.askForPerson(conversation, input.text, source);
    if (value?.startsWith(HELPFUL_ACTION)) return this.helpful(conversation, value.slice(HELPFUL_ACTION.length), source);
    return this.flowTurn(conversation, input, source);
  }

  /** A resend of a stored message: the answer that was stored after it, nothing new. */
  private async storedAnswer(conversation: LiveConversation, userSeq: number): Promise<TurnResult> {
    const replies = await this.conversations.repliesAfter(conversation.id, userSeq);
    return { conversation, userSeq, replies, isTerminal: conversation.isTerminal, duplicate: true };
  }

  /** Input while a person has (or is asked to take) the conversation: stored for them, no answer. */
  private async forPerson(conversation: LiveConversation, input: VisitorInput, source: InputSource): Promise<TurnResult> {
    const stored = await this.commit(conversation, { messages: [visitorMessage(shown(input), source.clientId)], origin: source.origin });
    return answered(conversation, stored, false);
  }

  /** The visitor asked for a person (the button, or words such as "human"): the flow does not see it. */
  private async askForPerson(conversation: LiveConversation, text: string, source: InputSource): Promise<TurnResult> {
    const messages = [visitorMessage([userText(text)], source.clientId)];
    const stored = await this.commit(conversation, { messages, changes: { status: 'waiting' }, origin: source.origin, handoff: { reason: 'visitor' } });
    return answered(conversation, stored, false);
  }

  /** "Yes" under an article answer: thanks, the vote, and the flow's question again. */
  private async helpful(conversation: LiveConversation, articleId: string, source: InputSource): Promise<TurnResult> {
    const flow = this.flows.of(conversation);
    const state = this.flows.stateIn(flow, conversation);
    await this.ports.knowledge?.helpful(conversation.companyId, articleId).catch(() => undefined);
    const reply: NewMessage = { role: 'bot', components: [...helpfulReply(), ...currentPrompt(flow.flow, state)] };
    const stored = await this.commit(conversation, { messages: [visitorMessage([userText('Yes')], source.clientId), reply], origin: source.origin });
    return answered(conversation, stored, conversation.isTerminal);
  }

  /** Input the flow takes: its next step, or an answer from the AI or the articles when it asks a question the flow cannot take. */
  private async flowTurn(conversation: LiveConversation, input: FlowInput, source: InputSource): Promise<TurnResult> {
    const flow = this.flows.of(conversation);
    const state = this.flows.stateIn(flow, conversation);
    const priming = this.flows.prime(input);
    if (priming) await priming;
    // Page attributes are read as `{{attributes.plan}}` but stay out of the stored flow state.
    let turn = advanceFlow(flow.flow, { ...state, vars: withAttributes(state.vars, conversation) }, input, this.flows.context(conversation));
    if (turn.http) {
      const calling = turn;
      turn = await this.lanes.run(conversation.id, () => this.flows.settleHttp(flow.flow, calling, conversation.companyId, conversation));
    }
    delete turn.state.vars.attributes;
    const text = textOf(input);
    const question = input.kind === 'text' && isQuestion(turn, text);
    if (this.wantsAnswer(conversation, turn, question)) {
      return this.aiTurn(conversation, flow, turn, text, visitorMessage(turn.userComponents ?? [userText(text)], source.clientId), source.origin);
    }
    if (question && this.ports.knowledge?.hasArticles(conversation.companyId)) {
      const fromArticles = await this.articleTurn(conversation, text, visitorMessage(turn.userComponents ?? [userText(text)], source.clientId), source.origin);
      if (fromArticles) return fromArticles;
    }
    const messages: NewMessage[] = [visitorMessage(turn.userComponents ?? shownInput(input), source.clientId)];
    if (turn.components.length) messages.push({ role: 'bot', components: turn.components });
    if (turn.terminal && this.ports.insights) messages.push(...this.ports.insights.ratingPrompt(conversation, 'bot'));
    const leads: Lead[] = [];
    const changes = changesOf(turn, conversation.status, flow.id);
    const stored = await this.commit(conversation, { messages, changes, effects: turn.effects, origin: source.origin, handoff: handoffOf(turn), leads });
    return answered(conversation, stored, turn.terminal, leads);
  }

  /** Whether a turn goes to the model (or the articles): an `ai` or `search` step, or a question the flow cannot take while AI is on. */
  private wantsAnswer(conversation: LiveConversation, turn: FlowTurn, question: boolean): boolean {
    return Boolean(turn.ai || turn.search || (question && this.ports.ai?.enabled(conversation.companyId)));
  }

  /**
   * An AI turn: the visitor's message is committed (and acknowledged) at once; the model's answer
   * streams to the visitor as it is written, then is stored with what follows it: the flow's
   * question again, the `ai` step's next steps, or a hand-off the model asked for. When the model
   * fails or is rate-limited, the visitor gets a fallback with the offer of a person instead.
   */
  private aiTurn(conversation: LiveConversation, flow: StoredFlow, turn: FlowTurn, question: string, message: NewMessage, origin: string | undefined): Promise<TurnResult> {
    return this.lanes.run(conversation.id, async () => {
      const [stored] = await this.commit(conversation, { messages: [message], changes: { flowId: flow.id }, origin });
      const atStep = turn.ai !== undefined || turn.search === true;
      const replies = await this.aiReply(conversation, flow, turn.ai?.instructions, atStep, question, turn.search === true);
      return { conversation, userSeq: stored!.seq, replies, isTerminal: conversation.isTerminal, duplicate: false };
    });
  }

  /**
   * Answers the visitor's last message when the node that took it died during its AI turn: the
   * message was stored and acknowledged, the answer never came. Called when a visitor's socket
   * attaches, on whichever node it reaches. Does nothing unless the conversation is with the bot,
   * ends with that message, and the message is older than the provider's timeout and a margin
   * (a live node has answered or sent the fallback by then); the claim is compared in the
   * database, so two nodes never both answer.
   */
  async answerLeftOver(conversation: LiveConversation): Promise<void> {
    const { ai } = this.ports;
    if (conversation.status !== 'bot' || conversation.isTerminal || conversation.pending > 0 || this.lanes.idle(conversation.id)) return;
    const [last] = await this.conversations.messagesAfter(conversation.id, conversation.lastSeq - 1, 1);
    if (last?.role !== 'user' || last.seq !== conversation.lastSeq) return;
    const waitMs = (ai?.enabled(conversation.companyId) ? ai.timeoutMs(conversation.companyId) : 0) + LEFT_OVER_MARGIN_MS;
    if (Date.now() - Date.parse(last.created_at) < waitMs) return;
    const text = componentsToText(last.components);
    const flow = this.flows.of(conversation);
    const state = this.flows.stateIn(flow, conversation);
    // The flow state did not move with the question: the same input decides the same turn again.
    const turn = advanceFlow(flow.flow, { ...state, vars: withAttributes(state.vars, conversation) }, { kind: 'text', text }, this.flows.context(conversation));
    if (turn.http || !this.wantsAnswer(conversation, turn, isQuestion(turn, text))) return;
    await this.lanes.run(conversation.id, async () => {
      if (!(await this.conversations.claimUnanswered(conversation, last.seq))) return;
      await this.aiReply(conversation, flow, turn.ai?.instructions, turn.ai !== undefined || turn.search === true, text, turn.search === true);
    });
  }

  /**
   * A question the flow cannot take, answered from the company's articles (AI off): the best
   * passage as an `article` card and "Did that answer your question?", when the search is
   * confident; undefined (today's behaviour goes on) when it is not. The flow stays where it was.
   */
  private articleTurn(conversation: LiveConversation, question: string, message: NewMessage, origin: string | undefined): Promise<TurnResult | undefined> {
    return this.lanes.run(conversation.id, async () => {
      const components = articleAnswer(await this.sources(conversation.companyId, question), this.ports.knowledge!, conversation.companyId);
      if (!components) return undefined;
      const stored = await this.commit(conversation, { messages: [message, { role: 'bot', components }], origin });
      return answered(conversation, stored, conversation.isTerminal);
    });
  }

  /** The company's best passages for a question (none when it has no published article). */
  private async sources(companyId: string, question: string): Promise<KnowledgeHit[]> {
    if (!this.ports.knowledge?.hasArticles(companyId)) return [];
    return this.ports.knowledge.search(companyId, question, 3);
  }

  private async aiReply(conversation: LiveConversation, flow: StoredFlow, instructions: string | undefined, atStep: boolean, question: string, search = false): Promise<ChatMessage[]> {
    const { ai, knowledge } = this.ports;
    const state = conversation.flow;
    const streamId = randomUUID();
    let answer: AiAnswer | undefined;
    let unavailable: AiFallbackReason = 'off';
    const hits = await this.sources(conversation.companyId, question);
    // The model sees passages that share something with the question, best first.
    const sources = hits.filter((h) => h.score >= 0.25);
    if (ai?.enabled(conversation.companyId)) {
      unavailable = 'limited';
      if (await ai.allowTurn(conversation.id, conversation.visitorIp)) {
        this.typing(conversation, 'bot', true);
        // "Thinking…" is said again while the model has not answered: a "typing" expires unless refreshed.
        const thinking = setInterval(() => this.typing(conversation, 'bot', true), Typing.refreshMs);
        answer = await ai.answer({
          companyId: conversation.companyId,
          conversationId: conversation.id,
          ip: conversation.visitorIp,
          question,
          history: (await this.conversations.messagesAfter(conversation.id, Math.max(0, conversation.lastSeq - 101), 100)).slice(0, -1),
          variables: flowContext(flow.flow, withAttributes(state.vars, conversation)),
          ...(instructions ? { instructions } : {}),
          ...(sources.length ? { sources: sources.map(({ title, heading, text }) => ({ title, heading, text })) } : {}),
          onDelta: (delta) => this.announce.stream(conversation, streamId, delta),
        }).finally(() => clearInterval(thinking));
        this.typing(conversation, 'bot', false);
      }
    }

    const messages: NewMessage[] = [];
    const fromArticles = answer?.ok || !knowledge ? undefined : articleAnswer(hits, knowledge, conversation.companyId);
    if (answer?.ok) {
      const cited = knowledge ? citations(answer.text, sources, knowledge, conversation.companyId) : [];
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
    if (conversation.status === 'waiting' || conversation.status === 'agent') return this.commit(conversation, { messages, streamId });
    if (answer?.ok && answer.handoff) {
      return this.commit(conversation, { messages, changes: { status: 'waiting' }, handoff: { reason: 'ai', context: answer.handoff.reason }, streamId });
    }
    if (atStep) {
      let next = afterAiAnswer(flow.flow, state, answer?.ok ? answer.text : undefined, this.flows.context(conversation));
      if (next.http) next = await this.flows.settleHttp(flow.flow, next, conversation.companyId, conversation);
      if (next.components.length) messages.push({ role: 'bot', components: next.components });
      return this.commit(conversation, { messages, changes: changesOf(next, conversation.status), effects: next.effects, handoff: handoffOf(next), streamId });
    }
    const prompt = currentPrompt(flow.flow, state);
    if (prompt.length) messages.push({ role: 'bot', components: prompt });
    return this.commit(conversation, { messages, streamId });
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
    return this.commit(conversation, { messages: [], changes: { status: 'waiting' }, handoff: { reason, ...options } });
  }

  /**
   * Stores messages and changes that do not come from the visitor (an agent's reply, a claim, a
   * hand-back) as one write, then publishes them. Resolves after the commit.
   */
  async record(conversation: LiveConversation, messages: NewMessage[], changes: ConversationChanges = {}, options: RecordOptions = {}): Promise<ChatMessage[]> {
    if (conversation.status === 'closed') throw Errors.sessionClosed();
    return this.writer.record(conversation, messages, changes, options);
  }

  /**
   * What the bot says when a conversation comes back to it: the waiting step's question again, or
   * the flow from the start when it had ended. Add the result to the write that hands it back.
   */
  botResumption(conversation: LiveConversation): { messages: NewMessage[]; changes: ConversationChanges } {
    const flow = this.flows.of(conversation);
    const state = this.flows.stateIn(flow, conversation);
    const turn = resumeFlow(flow.flow, state, this.flows.context(conversation));
    return {
      messages: turn.components.length ? [{ role: 'bot', components: turn.components }] : [],
      changes: { flow: turn.state, flowId: flow.id, isTerminal: turn.terminal },
    };
  }

  /** Reads whether the conversation is rated before a resolution asks for a rating (a rating may be another node's). */
  async knowRating(conversation: LiveConversation): Promise<void> {
    await this.ports.insights?.knowRating(conversation);
  }

  /** The rating prompt to add when a conversation is resolved (none unless the company asks for one). */
  ratingPrompt(conversation: LiveConversation, after: 'agent' | 'bot'): NewMessage[] {
    return this.ports.insights?.ratingPrompt(conversation, after) ?? [];
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

  /** The company a conversation belongs to. */
  companyOf(conversation: LiveConversation): Company | undefined {
    return this.companies.byIdOrUndefined(conversation.companyId);
  }

  private commit(conversation: LiveConversation, options: CommitOptions): Promise<ChatMessage[]> {
    return this.writer.commit(conversation, options);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    chat: ChatService;
  }
}

/**
 * The chat capability. Its ports' providers are registered before it (see app.ts): the hand-off
 * policy, AI, insights, the knowledge base and the flow admin's `http` steps.
 */
export default fp(
  async (app) => {
    app.decorate(
      'chat',
      new ChatService({
        conversations: app.conversations,
        flows: app.flows,
        companies: app.companies,
        bus: app.bus,
        leads: app.leads,
        uploads: app.uploads,
        outbox: app.outbox,
        handoff: app.handoffPolicy,
        ai: app.ai,
        insights: app.chatInsights,
        knowledge: app.knowledge,
        http: app.httpSteps,
      }),
    );
  },
  {
    name: 'chat',
    dependencies: ['conversations', 'flows', 'companies', 'bus', 'leads', 'uploads', 'outbox', 'handoff-policy', 'ai', 'insights', 'knowledge', 'flow-admin'],
  },
);
