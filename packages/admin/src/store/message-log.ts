import type { ChatMessage, MessageList } from '@parley/protocol';
import { lastSeq, mergeMessages } from './chat-order.js';

/** How the log fetches the messages of a conversation after a `seq` (the REST route). */
export type FetchMessages = (conversationId: string, after: number, limit: number) => Promise<MessageList>;

const PAGE = 500;

/**
 * The messages of the conversations opened so far, each list sorted by `seq` with no duplicates
 * and no gaps: a live message that skips a `seq` triggers a fetch of what is missing instead.
 */
export class MessageLog {
  private readonly lists = new Map<string, ChatMessage[]>();
  private readonly fetching = new Map<string, Promise<void>>();

  constructor(
    private readonly fetchMessages: FetchMessages,
    /** Called after every change, with the messages just stored. */
    private readonly onChange: (stored: readonly ChatMessage[]) => void,
  ) {}

  /** The messages held for a conversation (undefined when it was never opened). */
  get(conversationId: string): ChatMessage[] | undefined {
    return this.lists.get(conversationId);
  }

  /** Conversations with messages held. */
  keys(): IterableIterator<string> {
    return this.lists.keys();
  }

  /**
   * Adds a live message to a conversation that is held: `added`, `gap` (a fetch fills the hole),
   * or `ignored` (the conversation is not held).
   */
  add(conversationId: string, message: ChatMessage): 'added' | 'gap' | 'ignored' {
    const list = this.lists.get(conversationId);
    if (!list) return 'ignored';
    if (message.seq > lastSeq(list) + 1) {
      void this.fetchAfter(conversationId).catch(() => undefined);
      return 'gap';
    }
    this.lists.set(conversationId, mergeMessages(list, [message]));
    this.onChange([message]);
    return 'added';
  }

  /** Forgets a conversation's messages (it was deleted); a fetch still running for it stores nothing. */
  delete(conversationId: string): void {
    this.lists.delete(conversationId);
    this.fetching.delete(conversationId);
  }

  /** Fetches everything after the newest message held: one request chain at a time per conversation. */
  fetchAfter(conversationId: string): Promise<void> {
    const running = this.fetching.get(conversationId);
    if (running) return running.then(() => this.fetchAfter(conversationId));
    let task: Promise<void> | undefined;
    task = (async () => {
      for (;;) {
        const have = this.lists.get(conversationId) ?? [];
        const { messages } = await this.fetchMessages(conversationId, lastSeq(have), PAGE);
        if (this.fetching.get(conversationId) !== task) return;
        const stored = messages.map((m) => m.message);
        this.lists.set(conversationId, mergeMessages(have, stored));
        this.onChange(stored);
        if (messages.length < PAGE) return;
      }
    })().finally(() => {
      if (this.fetching.get(conversationId) === task) this.fetching.delete(conversationId);
    });
    this.fetching.set(conversationId, task);
    return task;
  }
}
