import { randomUUID } from 'node:crypto';
import type { Flow } from '@parley/protocol';
import { afterHttp, initialState, type FlowContext, type FlowState, type FlowTurn, type HttpOutcome } from '../flows/engine.js';
import type { FlowRegistry, StoredFlow } from '../flows/flows.plugin.js';
import { newTicketReference } from '../lib/ids.js';
import type { UploadStore } from './uploads.js';
import type { ChatAnnouncer } from './chat-announcer.js';
import type { ChatPorts } from './chat-types.js';
import type { ConversationChanges, LiveConversation } from './conversations.js';

/** `http` steps one visitor turn may run: a bound on what one message can make the server do. */
const MAX_HTTP_STEPS_PER_TURN = 4;

/**
 * How the chat runs a conversation's flow around the pure engine: which flow and state it is at,
 * the services the engine is given, and the `http` steps it calls out to between two of its steps.
 */
export class ChatFlows {
  constructor(
    private readonly flows: FlowRegistry,
    private readonly uploads: UploadStore,
    private readonly announce: ChatAnnouncer,
    /** The chat's ports, read at each use. */
    private readonly ports: Pick<ChatPorts, 'insights' | 'http'>,
  ) {}

  /** The company's active flow, or the coded error when it has none. */
  active(companyId: string): StoredFlow {
    return this.flows.activeOrFail(companyId);
  }

  /** The flow a conversation runs: the one it started with, or its company's active flow. */
  of(conversation: LiveConversation): StoredFlow {
    return (conversation.flowId ? this.flows.get(conversation.flowId) : undefined) ?? this.flows.activeOrFail(conversation.companyId);
  }

  /** Where the conversation stands in `flow`: its stored state, or the start when it ran another flow. */
  stateIn(flow: StoredFlow, conversation: LiveConversation): FlowState {
    return flow.id === conversation.flowId ? conversation.flow : initialState();
  }

  /** The services the engine gets for a conversation (or a company's greeting before there is one). */
  context(conversation: LiveConversation | undefined, companyId = conversation?.companyId): FlowContext {
    const { insights } = this.ports;
    return {
      ratingScale: () => (companyId && insights ? insights.ratingScale(companyId) : 'five'),
      uploadUrl: (value) => (conversation ? this.uploads.pathInConversation(value, conversation.id) : undefined),
      newTicket: newTicketReference,
      newId: randomUUID,
    };
  }

  /** Looks up the upload a visitor's text names, for `uploadUrl` (PostgreSQL); undefined when there is nothing to wait for. */
  prime(input: { kind: string; text?: string; value?: string }): Promise<void> | undefined {
    // Typed (the HTTP API, a socket's message) or sent as an action (how the widget sends the URL).
    const value = input.kind === 'text' ? input.text : input.kind === 'action' ? input.value : undefined;
    return value !== undefined ? this.uploads.prime(value) : undefined;
  }

  /**
   * Makes the requests of the `http` steps a turn reached and runs on after each (see
   * `afterHttp`), at most `MAX_HTTP_STEPS_PER_TURN` of them; further ones take their error branch.
   */
  async settleHttp(flow: Flow, turn: FlowTurn, companyId: string, conversation: LiveConversation | undefined): Promise<FlowTurn> {
    const { http } = this.ports;
    for (let count = 0; turn.http; count++) {
      const step = flow.steps[turn.http.step];
      let outcome: HttpOutcome = { ok: false, error: 'HTTP steps are not available' };
      if (count >= MAX_HTTP_STEPS_PER_TURN) outcome = { ok: false, error: 'Too many requests in one turn' };
      else if (step?.type === 'http' && http) {
        if (conversation) this.announce.typing(conversation, 'bot', true);
        outcome = await http(step, turn.state.vars, companyId);
        if (conversation) this.announce.typing(conversation, 'bot', false);
      }
      turn = afterHttp(flow, turn, outcome, this.context(conversation));
    }
    return turn;
  }
}

/** What a turn changes on its conversation: the flow's state, and the status a hand-off or a new start sets. */
export function changesOf(turn: FlowTurn, status: LiveConversation['status'], flowId?: string): ConversationChanges {
  const changes: ConversationChanges = { flow: turn.state, isTerminal: turn.terminal };
  if (turn.path) changes.reached = turn.path;
  if (turn.effects.some((e) => e.type === 'handoff')) changes.status = 'waiting';
  else if (status === 'resolved') changes.status = 'bot';
  if (flowId !== undefined) changes.flowId = flowId;
  return changes;
}

/** The hand-off a turn's `handoff` step asks for, if any. */
export function handoffOf(turn: FlowTurn): { reason: 'flow' } | undefined {
  return turn.effects.some((e) => e.type === 'handoff') ? { reason: 'flow' } : undefined;
}
