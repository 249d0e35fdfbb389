import type { SavedReplyView } from '@parley/protocol';

/**
 * What the agent is looking for when the draft asks for a saved reply: the draft is `/` (after
 * optional leading whitespace) and then no whitespace at all. Undefined for any other draft, so a
 * sentence that merely starts with `/` never turns Enter into "insert".
 *
 * @example savedReplyQuery('/ref') // 'ref'; savedReplyQuery('/ref thanks') // undefined
 */
export function savedReplyQuery(draft: string): string | undefined {
  const match = /^\s*\/(\S*)$/.exec(draft);
  return match ? match[1]!.toLowerCase() : undefined;
}

/**
 * The saved replies that fit a query, in the order given (by shortcut): those whose shortcut
 * starts with it, or, when none does, those whose text contains it (ignoring case). An empty
 * query fits every reply.
 */
export function matchSavedReplies(replies: readonly SavedReplyView[], query: string): SavedReplyView[] {
  const q = query.toLowerCase();
  const byShortcut = replies.filter((reply) => reply.shortcut.startsWith(q));
  return byShortcut.length ? byShortcut : replies.filter((reply) => reply.text.toLowerCase().includes(q));
}

/** Replies ordered by shortcut, as the server lists them. */
export function byShortcut(replies: readonly SavedReplyView[]): SavedReplyView[] {
  return [...replies].sort((a, b) => (a.shortcut < b.shortcut ? -1 : a.shortcut > b.shortcut ? 1 : 0));
}
