import type { ChatMessage, ChatSummary, ConversationStatus } from '@parley/protocol';

/** The inbox's filters: one per status, plus "mine" (with me) and "all" (everything not resolved). */
export type InboxFilter = 'all' | 'waiting' | 'mine' | 'agent' | 'bot' | 'resolved';

/** Filters in the order the inbox shows them, with their labels. */
export const inboxFilters: ReadonlyArray<{ id: InboxFilter; label: string }> = [
  { id: 'all', label: 'Open' },
  { id: 'waiting', label: 'Waiting' },
  { id: 'mine', label: 'Mine' },
  { id: 'agent', label: 'With agents' },
  { id: 'bot', label: 'Bot' },
  { id: 'resolved', label: 'Resolved' },
];

/** Whether a chat belongs under a filter; `me` is the signed-in user's id. */
export function matchesFilter(chat: ChatSummary, filter: InboxFilter, me: string | undefined): boolean {
  switch (filter) {
    case 'all':
      return chat.status !== 'resolved' && chat.status !== 'closed';
    case 'mine':
      return chat.status === 'agent' && chat.assignee?.id === me;
    case 'resolved':
      return chat.status === 'resolved' || chat.status === 'closed';
    default:
      return chat.status === filter;
  }
}

const RANK: Record<ConversationStatus, number> = { waiting: 0, agent: 1, bot: 2, resolved: 3, closed: 3 };

/**
 * Inbox order: the waiting queue first (next in line on top), then everything else newest first.
 */
export function compareChats(a: ChatSummary, b: ChatSummary): number {
  const waiting = Number(b.status === 'waiting') - Number(a.status === 'waiting');
  if (waiting) return waiting;
  if (a.status === 'waiting') return (a.queue_position ?? 1e9) - (b.queue_position ?? 1e9) || a.updated_at.localeCompare(b.updated_at);
  return activity(b).localeCompare(activity(a)) || RANK[a.status] - RANK[b.status];
}

function activity(chat: ChatSummary): string {
  const last = chat.last_message?.created_at ?? '';
  return last > chat.updated_at ? last : chat.updated_at;
}

/**
 * Merges messages into a list kept sorted by `seq` with no duplicates; a later copy of a `seq`
 * replaces the earlier one. Returns the same array when nothing changed.
 */
export function mergeMessages(list: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return list as ChatMessage[];
  const bySeq = new Map(list.map((m) => [m.seq, m]));
  for (const message of incoming) bySeq.set(message.seq, message);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** The highest `seq` held, or 0. */
export function lastSeq(list: readonly ChatMessage[] | undefined): number {
  return list && list.length ? list[list.length - 1]!.seq : 0;
}
