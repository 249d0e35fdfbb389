import { Typing } from '@parley/protocol';

/** Who is typing in a conversation right now. */
export interface TypingState {
  visitor: boolean;
  /** Names of other agents typing. */
  agents: string[];
}

/**
 * Who types where, from `typing` frames. A "typing" that is never switched off nor refreshed (a lost frame, a
 * closed tab, a node that died) expires after `timeoutMs` (`Typing.ttlMs`); a visitor's message also ends their typing.
 */
export class TypingTracker {
  private readonly states = new Map<string, TypingState>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly onChange: () => void,
    private readonly timeoutMs: number = Typing.ttlMs,
  ) {}

  /** Who is typing in a conversation (undefined when nobody ever did). */
  get(conversationId: string): TypingState | undefined {
    return this.states.get(conversationId);
  }

  /** Records that the visitor (`user`) or a named agent started or stopped typing. */
  set(conversationId: string, role: 'user' | 'agent', on: boolean, name?: string): void {
    const state = this.states.get(conversationId) ?? { visitor: false, agents: [] };
    const key = `${conversationId}\u0000${role}\u0000${name ?? ''}`;
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const agents = state.agents.filter((n) => n !== name);
    this.states.set(conversationId, role === 'user' ? { ...state, visitor: on } : { ...state, agents: on && name ? [...agents, name] : agents });
    if (on) this.timers.set(key, setTimeout(() => this.set(conversationId, role, false, name), this.timeoutMs));
    this.onChange();
  }

  /** Forgets who was typing in a conversation (it was deleted). */
  delete(conversationId: string): void {
    for (const [key, timer] of this.timers) {
      if (!key.startsWith(`${conversationId}\u0000`)) continue;
      clearTimeout(timer);
      this.timers.delete(key);
    }
    this.states.delete(conversationId);
  }

  /** Stops every timer (the store is shutting down). */
  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
