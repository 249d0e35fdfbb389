import type { ChatbotMessagesResponse, ChatbotReply, ChatbotStartResponse, IdentifyResponse } from '../protocol.js';
import { backoffDelay } from './backoff.js';
import { apiUrl, type Link, type LinkHost } from './link.js';
import type { PendingMessage } from './types.js';

/**
 * The `message` of `POST /api/chatbot` for an input that is not a form: the text, the click's
 * value, or for a request for a person the button's label, which the server recognises as one.
 */
function messageOf(entry: Exclude<PendingMessage, { kind: 'form' }>): string {
  return entry.kind === 'text' ? entry.text : entry.kind === 'action' ? entry.value : 'Talk to a person';
}

/** Settings of the HTTP link. */
export interface HttpLinkOptions {
  server: string;
  site: string | undefined;
  fetch: typeof fetch;
  pollMs: number;
  minDelayMs: number;
  maxDelayMs: number;
  random: () => number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

/**
 * The fallback when no WebSocket can open (a proxy that strips upgrades): the component chat API.
 * Sends with `POST /api/chatbot` (with the message id, so a retry is stored once) and catches up
 * with `GET /api/chatbot/messages?after=N`, turning answers into the same frames the socket gives.
 */
export class HttpLink implements Link {
  private stopped = true;
  private started = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private failures = 0;
  private busy: Promise<void> = Promise.resolve();
  private inFlight = new Set<string>();
  private status: string | undefined;

  constructor(
    private readonly host: LinkHost,
    private readonly options: HttpLinkOptions,
  ) {}

  open(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.host.setConnection('connecting');
    this.run(() => this.start());
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  wake(): void {
    if (!this.stopped) this.run(() => this.poll());
  }

  flush(): void {
    if (this.started) this.run(() => this.sendQueued());
  }

  typing(): void {
    // The HTTP API has no typing channel.
  }

  /** Page attributes need the WebSocket; over HTTP they are dropped. */
  attributes(): void {
    this.host.takeAttributes();
  }

  identify(): void {
    if (this.started) this.run(() => this.sendIdentity());
  }

  /** `POST /api/identify`; a verified visitor's conversation elsewhere becomes this client's. */
  private async sendIdentity(): Promise<void> {
    const claim = this.host.claim;
    if (!claim || !this.host.session) return;
    const answer = await this.request<IdentifyResponse>(apiUrl(this.options.server, '/api/identify'), { ...claim, chatbot_session: this.host.session });
    if (answer.switched) {
      this.host.receive({ type: 'welcome', session: answer.chatbot_session, conversation_id: answer.conversation_id, status: 'bot', last_seq: 0, is_terminal: false, resumed: true });
      await this.poll(true);
    }
    this.host.receive({ type: 'identity', verified: answer.verified, ...(answer.user_id ? { user_id: answer.user_id } : {}), ...(answer.error ? { error: answer.error } : {}) });
  }

  /** Runs one step at a time; a failed step backs off and tries again. */
  private run(step: () => Promise<void>): void {
    this.busy = this.busy.then(async () => {
      if (this.stopped) return;
      try {
        await step();
        this.failures = 0;
        this.schedule(this.options.pollMs);
      } catch (error) {
        if (error instanceof HttpError && error.status === 404) {
          this.host.forgetSession();
          this.started = false;
          this.schedule(0, () => this.start());
          return;
        }
        this.host.setConnection('reconnecting');
        this.schedule(backoffDelay(this.failures++, this.options.minDelayMs, this.options.maxDelayMs, this.options.random), () =>
          this.started ? this.poll() : this.start(),
        );
      }
    });
  }

  private schedule(delay: number, step: () => Promise<void> = () => this.poll()): void {
    clearTimeout(this.timer);
    if (!this.stopped) this.timer = setTimeout(() => this.run(step), delay);
  }

  private async start(): Promise<void> {
    if (!this.host.session) {
      const started = await this.request<ChatbotStartResponse>(apiUrl(this.options.server, '/api/chatbot', { site: this.options.site }));
      this.host.receive({
        type: 'welcome',
        session: started.chatbot_session,
        conversation_id: '',
        status: 'bot',
        last_seq: 0,
        is_terminal: started.is_terminal,
        resumed: false,
      });
    }
    await this.poll(true);
    this.started = true;
    await this.sendIdentity();
    await this.sendQueued();
  }

  private async poll(first = false): Promise<void> {
    const session = this.host.session;
    if (!session) return;
    const page = await this.request<ChatbotMessagesResponse>(
      apiUrl(this.options.server, '/api/chatbot/messages', { chatbot_session: session, after: this.host.lastSeq }),
    );
    if (first) {
      this.host.receive({ type: 'welcome', session, conversation_id: page.conversation_id, status: page.status, last_seq: page.last_seq, is_terminal: page.is_terminal, resumed: true });
    } else if (page.status !== this.status) {
      this.host.receive({ type: 'state', status: page.status });
    }
    this.status = page.status;
    for (const message of page.messages) this.host.receive({ type: 'message', message, is_terminal: page.is_terminal });
    this.host.setConnection('polling');
  }

  private async sendQueued(): Promise<void> {
    for (const entry of this.host.sendable()) {
      if (this.inFlight.has(entry.id) || !this.host.session) continue;
      this.inFlight.add(entry.id);
      try {
        const reply = await this.request<ChatbotReply>(apiUrl(this.options.server, '/api/chatbot'), {
          ...(entry.kind === 'form' ? { form: { id: entry.form, values: entry.values } } : { message: messageOf(entry) }),
          chatbot_session: this.host.session,
          message_id: entry.id,
        });
        if (reply.lead) this.host.receive({ type: 'lead', ...reply.lead });
      } catch (error) {
        if (!(error instanceof HttpError) || error.status >= 500 || error.status === 429 || error.status === 404) throw error;
        const reply = error.body as Partial<ChatbotReply> | undefined;
        const text = reply?.BOT?.components?.map((c) => ('text' in c.payload ? c.payload.text : '')).join(' ');
        this.host.receive({ type: 'error', code: 'validation_failed', message: text || `HTTP ${error.status}`, id: entry.id });
      } finally {
        this.inFlight.delete(entry.id);
      }
    }
    await this.poll();
  }

  private async request<T>(url: string, body?: object): Promise<T> {
    const response = await this.options.fetch(url, {
      method: body ? 'POST' : 'GET',
      credentials: 'omit',
      ...(body ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    const data = (await response.json().catch(() => undefined)) as unknown;
    if (!response.ok) throw new HttpError(response.status, data);
    return data as T;
  }
}
