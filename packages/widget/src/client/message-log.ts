import type { ChatMessage } from '../protocol.js';

/**
 * The messages of one conversation, kept in `seq` order with each `seq` at most once, and the
 * highest `seq` below which nothing is missing (what a reconnect resumes from).
 */
export class MessageLog {
  /** The messages, in `seq` order. */
  messages: ChatMessage[] = [];
  private seen = new Set<number>();
  private contiguous = 0;

  /** Highest sequence number received with nothing missing below it. */
  get lastSeq(): number {
    return this.contiguous;
  }

  /** Adds a message; returns false when its `seq` is already there (a replay or a resend). */
  add(message: ChatMessage): boolean {
    if (this.seen.has(message.seq)) return false;
    this.seen.add(message.seq);
    const last = this.messages[this.messages.length - 1];
    if (!last || last.seq < message.seq) this.messages.push(message);
    else this.messages = [...this.messages, message].sort((a, b) => a.seq - b.seq);
    while (this.seen.has(this.contiguous + 1)) this.contiguous++;
    return true;
  }

  clear(): void {
    this.messages = [];
    this.seen.clear();
    this.contiguous = 0;
  }
}
