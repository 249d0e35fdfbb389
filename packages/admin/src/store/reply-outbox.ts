import { randomId } from '../lib/observable.js';

/** A reply the agent sent that the server has not stored yet (or refused). */
export interface PendingReply {
  clientId: string;
  conversationId: string;
  text: string;
  state: 'sending' | 'failed';
  error?: string;
}

/**
 * The agent's replies on their way, by client id: each shows as sending until the server stores
 * it (the stored message carries the client id back) or as failed, with the reason, until retried.
 */
export class ReplyOutbox {
  private readonly replies = new Map<string, PendingReply>();

  /** Adds a reply being sent; returns its new client id. */
  add(conversationId: string, text: string): string {
    const clientId = randomId('r');
    this.replies.set(clientId, { clientId, conversationId, text, state: 'sending' });
    return clientId;
  }

  /** Whether a reply with this client id is on its way (or failed). */
  has(clientId: string): boolean {
    return this.replies.has(clientId);
  }

  /** The server stored the reply: it is no longer pending. */
  stored(clientId: string): void {
    this.replies.delete(clientId);
  }

  /** The server refused the reply, or it could not be sent. */
  fail(clientId: string, reason: string): void {
    const reply = this.replies.get(clientId);
    if (reply) this.replies.set(clientId, { ...reply, state: 'failed', error: reason });
  }

  /** Removes a reply and returns it (to send it again). */
  take(clientId: string): PendingReply | undefined {
    const reply = this.replies.get(clientId);
    this.replies.delete(clientId);
    return reply;
  }

  /** The replies of a conversation, oldest first. */
  in(conversationId: string): PendingReply[] {
    return [...this.replies.values()].filter((reply) => reply.conversationId === conversationId);
  }

  /** Forgets every reply of a conversation (it was deleted). */
  dropConversation(conversationId: string): void {
    for (const [clientId, reply] of this.replies) if (reply.conversationId === conversationId) this.replies.delete(clientId);
  }
}
