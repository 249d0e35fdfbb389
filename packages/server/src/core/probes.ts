import { channel, type Channel } from 'node:diagnostics_channel';

/**
 * Named points where the server reports what it just did, on Node's `diagnostics_channel`: the
 * metrics capability (or any other observer, such as an APM agent) subscribes; with no subscriber a
 * probe costs one property read (`hasSubscribers`), so the hot path stays as it was. Callers check
 * `hasSubscribers` before building a message or reading a clock.
 *
 * Channels are per process: every server built in one process reports to the same ones.
 */
export const probes = {
  /** A group-commit batch committed: `{ size, ms }` (writes in the transaction, time to commit). */
  batch: channel('parley:db.batch') as Channel<DbBatchProbe>,
  /** A visitor turn was handled (input in, replies stored). */
  turn: channel('parley:chat.turn') as Channel<TurnProbe>,
  /** Messages were stored and announced: one probe per committed group, `{ roles }`. */
  messages: channel('parley:chat.messages') as Channel<MessagesProbe>,
  /** A call to the AI model ended: `{ ok, ms }`. */
  aiCall: channel('parley:ai.call') as Channel<AiCallProbe>,
  /** A webhook delivery attempt ended: `{ ok, gaveUp }` (gave up: no attempt left). */
  webhookAttempt: channel('parley:webhooks.attempt') as Channel<WebhookAttemptProbe>,
};

export interface DbBatchProbe {
  size: number;
  ms: number;
}
export interface TurnProbe {
  companyId: string;
}
export interface MessagesProbe {
  roles: string[];
}
export interface AiCallProbe {
  ok: boolean;
  ms: number;
}
export interface WebhookAttemptProbe {
  ok: boolean;
  gaveUp: boolean;
}
