import type { ChatList, ChatListQuery, ChatSummary, ConversationStatus } from '@parley/protocol';
import { compareChats, matchesFilter, type InboxFilter } from './chat-order.js';

/** Chats per page of the inbox list. */
export const PAGE_SIZE = 100;

/** What `GET /api/chats` is asked for a filter ("all" and "mine" ask for every status). */
export interface ChatPageQuery {
  status?: ConversationStatus;
  assignee?: 'me';
}

/** Options of {@link ChatPages}. */
export interface ChatPagesOptions {
  /** `GET /api/chats`. */
  fetch: (query: ChatListQuery) => Promise<ChatList>;
  /** The signed-in user's id (for "mine"). */
  me: () => string | undefined;
  /** Whether a chat may be listed: a deleted one may not, whatever a page sent earlier says. */
  listable: (id: string) => boolean;
}

/**
 * The chats of the inbox by id, loaded a page at a time per filter (newest activity first), plus
 * whatever frames and actions put there.
 */
export class ChatPages {
  readonly chats = new Map<string, ChatSummary>();
  /** Per filter loaded so far: whether the server may have older chats under it. */
  private readonly more = new Map<InboxFilter, boolean>();

  constructor(private readonly options: ChatPagesOptions) {}

  /** Chats under a filter, in inbox order. */
  list(filter: InboxFilter): ChatSummary[] {
    const me = this.options.me();
    return [...this.chats.values()].filter((chat) => matchesFilter(chat, filter, me)).sort(compareChats);
  }

  /** Whether older chats may exist under a filter (the last page was full). */
  hasMore(filter: InboxFilter): boolean {
    return this.more.get(filter) ?? false;
  }

  /**
   * Loads a filter's first page, or with `older` the page before the oldest chat held under it,
   * and merges it in (an older page never overwrites a chat held). Rejects when the request fails.
   */
  async load(filter: InboxFilter, older: boolean): Promise<void> {
    const query = pageQuery(filter);
    const held = older ? this.list(filter) : [];
    const before = held.length ? held.map((c) => c.updated_at).sort()[0] : undefined;
    const { chats } = await this.options.fetch({ ...query, limit: PAGE_SIZE, before });
    for (const chat of chats) if ((!older || !this.chats.has(chat.id)) && this.options.listable(chat.id)) this.chats.set(chat.id, chat);
    this.more.set(filter, chats.length === PAGE_SIZE);
  }
}

/** The query of a filter's pages. */
export function pageQuery(filter: InboxFilter): ChatPageQuery {
  if (filter === 'mine') return { assignee: 'me' };
  if (filter === 'all') return {};
  return { status: filter };
}
