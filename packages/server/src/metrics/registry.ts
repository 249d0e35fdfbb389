import { statSync } from 'node:fs';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import client from 'prom-client';
import { probes, type AiCallProbe, type DbBatchProbe, type MessagesProbe, type WebhookAttemptProbe } from '../core/probes.js';

/** What the metrics read at scrape time, so nothing on the hot path keeps a gauge up to date. */
export interface MetricSources {
  /** Sockets open now. */
  sockets(): { visitors: number; agents: number };
  /** Bytes of the write-ahead log file (SQLite; 0 on PostgreSQL). */
  walBytes(): number;
  /** Webhook deliveries waiting to be sent (or retried). */
  webhookQueueDepth(): number | Promise<number>;
}

/** The size of a file, 0 when it is not there (the WAL right after a truncating checkpoint). */
export function fileBytes(path: string): number {
  return statSync(path, { throwIfNoEntry: false })?.size ?? 0;
}

/**
 * One server's Prometheus registry: counters fed by the `probes` channels, gauges read from
 * `sources` when scraped, HTTP requests counted by the caller, and Node's default process metrics.
 * `close()` unsubscribes from the probes.
 */
export class ParleyMetrics {
  readonly registry = new client.Registry();
  /** The port of the separate metrics server (`PARLEY_METRICS_PORT`), once it listens. */
  port: number | undefined;
  private readonly httpRequests: client.Counter<'method' | 'route' | 'status'>;
  private readonly unsubscribers: Array<() => void> = [];

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    client.collectDefaultMetrics({ register: this.registry });
    new client.Gauge({
      name: 'parley_sockets_open',
      help: 'WebSocket connections open now, by side (visitor or agent)',
      labelNames: ['side'],
      registers,
      collect() {
        const { visitors, agents } = sources.sockets();
        this.set({ side: 'visitor' }, visitors);
        this.set({ side: 'agent' }, agents);
      },
    });
    new client.Gauge({
      name: 'parley_sqlite_wal_bytes',
      help: 'Size of the SQLite write-ahead log file',
      registers,
      collect() {
        this.set(sources.walBytes());
      },
    });
    new client.Gauge({
      name: 'parley_webhook_queue_depth',
      help: 'Webhook deliveries waiting to be sent or retried',
      registers,
      async collect() {
        this.set(await sources.webhookQueueDepth());
      },
    });
    const turns = new client.Counter({ name: 'parley_turns_total', help: 'Visitor turns handled (inputs taken through the flow or the AI)', registers });
    const messages = new client.Counter({ name: 'parley_messages_total', help: 'Messages stored, by role (user, bot, agent, system)', labelNames: ['role'], registers });
    const batchSize = new client.Histogram({
      name: 'parley_db_batch_writes',
      help: 'Writes per group-commit transaction',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500],
      registers,
    });
    const batchSeconds = new client.Histogram({
      name: 'parley_db_batch_seconds',
      help: 'Time to run and commit one group-commit transaction',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers,
    });
    const webhookAttempts = new client.Counter({
      name: 'parley_webhook_attempts_total',
      help: 'Webhook delivery attempts, by outcome (succeeded, failed: will retry, gave_up: no attempt left)',
      labelNames: ['outcome'],
      registers,
    });
    const aiCalls = new client.Counter({ name: 'parley_ai_calls_total', help: 'Calls to the AI model, by outcome (ok or error)', labelNames: ['outcome'], registers });
    const aiSeconds = new client.Histogram({
      name: 'parley_ai_call_seconds',
      help: 'Time of a call to the AI model, to its last streamed token',
      buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64],
      registers,
    });
    this.httpRequests = new client.Counter({
      name: 'parley_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status code',
      labelNames: ['method', 'route', 'status'],
      registers,
    });

    this.on(probes.turn.name, () => turns.inc());
    this.on(probes.messages.name, ({ roles }: MessagesProbe) => {
      for (const role of roles) messages.inc({ role });
    });
    this.on(probes.batch.name, ({ size, ms }: DbBatchProbe) => {
      batchSize.observe(size);
      batchSeconds.observe(ms / 1000);
    });
    this.on(probes.webhookAttempt.name, ({ ok, gaveUp }: WebhookAttemptProbe) =>
      webhookAttempts.inc({ outcome: ok ? 'succeeded' : gaveUp ? 'gave_up' : 'failed' }),
    );
    this.on(probes.aiCall.name, ({ ok, ms }: AiCallProbe) => {
      aiCalls.inc({ outcome: ok ? 'ok' : 'error' });
      aiSeconds.observe(ms / 1000);
    });
  }

  /** Counts one answered HTTP request; `route` is the route's pattern (bounded), never the raw URL. */
  countRequest(method: string, route: string, status: number): void {
    this.httpRequests.inc({ method, route, status: String(status) });
  }

  /** The exposition text, and its content type. */
  async scrape(): Promise<{ type: string; body: string }> {
    return { type: this.registry.contentType, body: await this.registry.metrics() };
  }

  close(): void {
    for (const off of this.unsubscribers.splice(0)) off();
  }

  private on<T>(name: string | symbol, handler: (message: T) => void): void {
    const listener = (message: unknown) => handler(message as T);
    subscribe(name, listener);
    this.unsubscribers.push(() => unsubscribe(name, listener));
  }
}
