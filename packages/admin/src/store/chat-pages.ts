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
  /** Whether a chat stays although a first page misses it: opened ones are checked on their own. */
  kept: (id: string) => boolean;
}

/**
 * The chats of the inbox by id, loaded a page at a time per filter (newest activity first), plus
 * whatever frames and actions put there. A first page replaces what it covers, so a chat the
 * server no longer has (deleted while the socket was down, say) leaves the list.
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

  /** Filters loaded so far. */
  loadedFilters(): InboxFilter[] {
    return [...this.more.keys()];
  }

  /**
   * Loads a filter's first page, or with `older` the page before the oldest chat held under it,
   * and merges it in (an older page never overwrites a chat held). Rejects when the request fails.
   */
  async load(filter: InboxFilter, older: boolean): Promise<void> {
    const query = pageQuery(filter);
    const held = older ? this.list(filter) : [];
    // The oldest held in the server's order (last activity, then id): the next page starts after it.
    const oldest = held.reduce<ChatSummary | undefined>(
      (min, c) => (!min || c.updated_at < min.updated_at || (c.updated_at === min.updated_at && c.id < min.id) ? c : min),
      undefined,
    );
    const asked = older ? undefined : new Map(this.chats);
    const { chats } = await this.options.fetch({ ...query, limit: PAGE_SIZE, ...(oldest ? { before: oldest.updated_at, before_id: oldest.id } : {}) });
    if (asked) this.dropMissing(asked, chats, query);
    for (const chat of chats) if ((!older || !this.chats.has(chat.id)) && this.options.listable(chat.id)) this.chats.set(chat.id, chat);
    this.more.set(filter, chats.length === PAGE_SIZE);
  }

  /**
   * Drops the chats a first page shows gone, as they were when it was `asked` for: one changed
   * since (by a frame, another page) is newer than the answer and stays.
   */
  private dropMissing(asked: ReadonlyMap<string, ChatSummary>, page: readonly ChatSummary[], query: ChatPageQuery): void {
    for (const chat of missingFromFirstPage(asked.values(), page, query, PAGE_SIZE, this.options.me())) {
      if (this.chats.get(chat.id) === chat && !this.options.kept(chat.id)) this.chats.delete(chat.id);
    }
  }
}

/** The query of a filter's pages. */
export function pageQuery(filter: InboxFilter): ChatPageQuery {
  if (filter === 'mine') return { assignee: 'me' };
  if (filter === 'all') return {};
  return { status: filter };
}

/**
 * The chats held that a first page of `GET /api/chats` shows the server no longer has: chats the
 * query asks for, missing from the page although the page covers them. Pages come newest
 * activity first, so a full page covers the chats updated after its oldest one and a shorter
 * page covers them all; older chats (loaded with "Load older", or under another filter) are
 * another page's business and are kept. Ties on the oldest `updated_at` are kept too.
 *
 * A chat missing here was deleted, or left the query (its status or assignee changed) and
 * comes back with the page it now belongs to.
 *
 * @param me the signed-in user's id, for the "mine" query
 */
export function missingFromFirstPage(held: Iterable<ChatSummary>, page: readonly ChatSummary[], query: ChatPageQuery, limit: number, me: string | undefined): ChatSummary[] {
  const listed = new Set(page.map((chat) => chat.id));
  const oldest = page.length >= limit ? page.reduce((min, chat) => (chat.updated_at < min ? chat.updated_at : min), page[0]!.updated_at) : undefined;
  const missing: ChatSummary[] = [];
  for (const chat of held) {
    if (listed.has(chat.id) || !asksFor(query, chat, me)) continue;
    if (oldest === undefined || chat.updated_at > oldest) missing.push(chat);
  }
  return missing;
}

/** Whether the server would answer the query with this chat, as far as the copy held tells. */
function asksFor(query: ChatPageQuery, chat: ChatSummary, me: string | undefined): boolean {
  if (query.status && chat.status !== query.status) return false;
  if (query.assignee === 'me') return me !== undefined && chat.assignee?.id === me;
  return true;
}
