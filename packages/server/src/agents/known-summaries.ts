import { componentsToText, type ChatMessage, type ChatSummary } from '@parley/protocol';
import { preview } from '../inbox/inbox.js';

/** How many conversations' summaries a company channel keeps (the most recently changed). */
const KEPT = 2_000;

/**
 * The inbox lines a company channel last read, brought forward by the messages it relays since,
 * so that a conversation that only got new messages has its line sent without a database read.
 *
 * A message changes a line in a way known from the message alone: the last message, `updated_at`,
 * and for a visitor's message the unread count and `last_seen_at` (the conversation's write sets
 * them from the same clock reading as the message's `created_at`). Everything else (status,
 * assignee, hand-off, read marks, presence, lead, identity) comes with an event of its own, which
 * forgets the line (`forget`), so the next one is read again. A line is only brought forward by
 * the message right after its last one: a message past a gap, or of a conversation waiting in the
 * queue (whose place moves with other conversations), forgets it too.
 */
export class KnownSummaries {
  private readonly lines = new Map<string, ChatSummary>();
  /** How many times each conversation was forgotten (the latest ones): a read started before cannot be kept. */
  private readonly forgotten = new Map<string, number>();

  /** The line of a conversation whose only changes since it was read are messages relayed here. */
  get(conversationId: string): ChatSummary | undefined {
    return this.lines.get(conversationId);
  }

  /** What a read started now passes to `remember` once it is back. */
  version(conversationId: string): number {
    return this.forgotten.get(conversationId) ?? 0;
  }

  /**
   * Keeps a line just read, started at `version`. A read started before the conversation was last
   * forgotten may have missed that change, and a line already kept that is further on (messages
   * relayed while the read was on its way) cannot be told apart from one the read missed changes
   * for: neither is kept.
   */
  remember(summary: ChatSummary, version: number): void {
    const kept = this.lines.get(summary.id);
    if (version !== this.version(summary.id) || (kept && lastSeq(kept) > lastSeq(summary))) {
      this.lines.delete(summary.id);
      return;
    }
    this.keep(summary);
  }

  /** Brings a line forward by a message relayed to the dashboards. */
  message(conversationId: string, message: ChatMessage): void {
    const kept = this.lines.get(conversationId);
    if (!kept) return;
    const last = lastSeq(kept);
    if (message.seq <= last) return;
    if (message.seq !== last + 1 || kept.status === 'waiting') {
      this.lines.delete(conversationId);
      return;
    }
    const visitor = message.role === 'user';
    this.keep({
      ...kept,
      last_message: { seq: message.seq, role: message.role, text: preview(componentsToText(message.components)), created_at: message.created_at },
      unread_count: kept.unread_count + (visitor ? 1 : 0),
      visitor: visitor ? { ...kept.visitor, last_seen_at: message.created_at } : kept.visitor,
      updated_at: message.created_at,
    });
  }

  /** Something besides messages changed the conversation: its next line is read. */
  forget(conversationId: string): void {
    this.lines.delete(conversationId);
    const times = this.version(conversationId) + 1;
    this.forgotten.delete(conversationId);
    this.forgotten.set(conversationId, times);
    // One dropped reads as 0 again: a read started before then no longer matches, and is not kept.
    if (this.forgotten.size > KEPT) this.forgotten.delete(this.forgotten.keys().next().value!);
  }

  private keep(summary: ChatSummary): void {
    this.lines.delete(summary.id);
    this.lines.set(summary.id, summary);
    if (this.lines.size > KEPT) this.lines.delete(this.lines.keys().next().value!);
  }
}

function lastSeq(summary: ChatSummary): number {
  return summary.last_message?.seq ?? 0;
}
