import { LitElement, html, nothing, type TemplateResult } from 'lit';
import type { AiConfigUpdate, AiConfigView, AiTestResponse } from '@parley/protocol';
import type { ApiClient } from '../../api/http.js';
import { errorMessage } from '../../api/errors.js';
import { TaskController } from '../../controllers/task-controller.js';
import { controls, screen, row } from '../../styles/shared.js';
import { styles } from './ai-view.styles.js';

/** Known OpenAI-compatible providers: picking one fills the base URL. */
export const AI_PROVIDERS = [
  { name: 'OpenAI', baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', needsKey: true },
  { name: 'OpenRouter', baseUrl: 'https://openrouter.ai/api/v1', model: 'meta-llama/llama-3.1-8b-instruct', needsKey: true },
  { name: 'Ollama (this machine)', baseUrl: 'http://localhost:11434/v1', model: 'llama3.1', needsKey: false },
  { name: 'LM Studio (this machine)', baseUrl: 'http://localhost:1234/v1', model: 'local-model', needsKey: false },
] as const;

/** The provider whose base URL this is, if it is a known one. */
export function providerOf(baseUrl: string): (typeof AI_PROVIDERS)[number] | undefined {
  return AI_PROVIDERS.find((p) => p.baseUrl === baseUrl.replace(/\/+$/, ''));
}

/**
 * The changes a submitted settings form makes. The API key field is write-only: left empty it
 * keeps the stored key, so only a typed key is sent (removing it is a separate action).
 */
export function readAiForm(data: FormData): AiConfigUpdate {
  const number = (name: string) => Number(data.get(name));
  const update: AiConfigUpdate = {
    enabled: data.get('enabled') === 'on',
    base_url: String(data.get('base_url') ?? '').trim(),
    model: String(data.get('model') ?? '').trim(),
    temperature: number('temperature'),
    max_tokens: Math.round(number('max_tokens')),
    system_prompt: String(data.get('system_prompt') ?? ''),
    history_window: Math.round(number('history_window')),
    timeout_ms: Math.round(number('timeout_s') * 1000),
  };
  const key = String(data.get('api_key') ?? '').trim();
  if (key) update.api_key = key;
  return update;
}

/**
 * AI replies (admins): the provider (any OpenAI-compatible endpoint), model, write-only API key,
 * temperature, answer length, system prompt, history window and timeout, with a test box that
 * sends one message and shows the reply and its latency, or the provider's error in plain words.
 *
 * @csspart header - the title
 * @csspart test-result - the outcome of a test message
 */
export class ParleyAiView extends LitElement {
  static override styles = [controls, screen, row, styles];
  static override properties = {
    api: { attribute: false },
    message: { state: true },
    failure: { state: true },
    testing: { state: true },
    result: { state: true },
  };

  declare api: ApiClient | undefined;
  declare private message: string;
  declare private failure: string;
  declare private testing: boolean;
  declare private result: AiTestResponse | undefined;
  private readonly task = new TaskController<AiConfigView>(this, () => this.api!.aiConfig());

  constructor() {
    super();
    this.message = '';
    this.failure = '';
    this.testing = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.task.reload();
  }

  private async save(body: AiConfigUpdate, done: string): Promise<void> {
    this.failure = this.message = '';
    try {
      this.task.set(await this.api!.updateAiConfig(body));
      this.message = done;
    } catch (error) {
      this.failure = errorMessage(error);
    }
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    void this.save(readAiForm(new FormData(form)), 'AI settings saved.').then(() => {
      const key = form.elements.namedItem('api_key') as HTMLInputElement | null;
      if (key) key.value = '';
    });
  }

  private pickProvider(event: Event): void {
    const provider = AI_PROVIDERS.find((p) => p.name === (event.target as HTMLSelectElement).value);
    if (!provider) return;
    const form = (event.target as HTMLElement).closest('form')!;
    (form.elements.namedItem('base_url') as HTMLInputElement).value = provider.baseUrl;
    (form.elements.namedItem('model') as HTMLInputElement).value = provider.model;
  }

  private removeKey(): void {
    if (confirm('Remove the stored API key?')) void this.save({ api_key: '' }, 'API key removed.');
  }

  private async test(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const message = String(new FormData(event.target as HTMLFormElement).get('message') ?? '').trim();
    if (!message) return;
    this.testing = true;
    this.result = undefined;
    try {
      this.result = await this.api!.testAi({ message });
    } catch (error) {
      this.result = { ok: false, error: errorMessage(error), latency_ms: 0 };
    } finally {
      this.testing = false;
    }
  }

  private renderForm(config: AiConfigView): TemplateResult {
    const provider = providerOf(config.base_url);
    return html`<form class="card" @submit=${this.submit}>
      <h2>Provider</h2>
      ${config.source === 'environment'
        ? html`<p class="muted">These settings come from the server's environment (<code>PARLEY_AI_*</code>). Saving here overrides them.</p>`
        : nothing}
      <label class="check"><input type="checkbox" name="enabled" .checked=${config.enabled} /> Answer visitors' questions with AI</label>
      <label>Provider
        <select name="provider" @change=${this.pickProvider}>
          ${AI_PROVIDERS.map((p) => html`<option ?selected=${p === provider}>${p.name}</option>`)}
          <option ?selected=${!provider}>Other OpenAI-compatible</option>
        </select>
      </label>
      <label>Base URL <input name="base_url" type="url" required .value=${config.base_url} placeholder="https://api.openai.com/v1" /></label>
      <label>Model <input name="model" required maxlength="200" .value=${config.model} /></label>
      <label>API key
        <input name="api_key" type="password" autocomplete="off" maxlength="500"
          placeholder=${config.api_key_set ? 'A key is set: type a new one to replace it' : 'None (not needed for Ollama or LM Studio)'} />
      </label>
      ${config.api_key_set ? html`<div class="row"><button type="button" class="danger" data-action="remove-key" @click=${this.removeKey}>Remove key</button></div>` : nothing}
      <h2>Answers</h2>
      <label>System prompt (who you are, what you sell, your policies, your tone)
        <textarea name="system_prompt" maxlength="8000" .value=${config.system_prompt}></textarea>
      </label>
      <div class="grid">
        <label>Temperature <input name="temperature" type="number" min="0" max="2" step="0.1" .value=${String(config.temperature)} /></label>
        <label>Longest answer (tokens) <input name="max_tokens" type="number" min="1" max="32000" .value=${String(config.max_tokens)} /></label>
        <label>Earlier messages it sees <input name="history_window" type="number" min="0" max="100" .value=${String(config.history_window)} /></label>
        <label>Timeout (seconds) <input name="timeout_s" type="number" min="1" max="120" .value=${String(config.timeout_ms / 1000)} /></label>
      </div>
      <div class="row"><button class="primary" type="submit">Save</button></div>
    </form>`;
  }

  private renderTest(): TemplateResult {
    const result = this.result;
    return html`<form class="card" @submit=${this.test}>
      <h2>Try it</h2>
      <p class="muted">Sends one message with the saved settings (even while AI replies are off).</p>
      <div class="row">
        <input name="message" aria-label="Test message" required maxlength="4000" placeholder="What are your opening hours?" />
        <button type="submit" ?disabled=${this.testing}>${this.testing ? 'Asking…' : 'Send'}</button>
      </div>
      ${result
        ? html`<div part="test-result" class=${result.ok ? 'reply' : 'error'} role="status">
            ${result.ok ? result.reply : result.error}
            <span class="muted">${result.latency_ms} ms</span>
          </div>`
        : nothing}
    </form>`;
  }

  override render(): TemplateResult {
    const config = this.task.value;
    return html`
      <div part="header"><h1>AI replies</h1></div>
      <div part="body">
        ${this.failure || this.task.error ? html`<div class="error" role="alert">${this.failure || this.task.error}</div>` : nothing}
        ${this.message ? html`<div class="ok" role="status">${this.message}</div>` : nothing}
        ${config ? html`${this.renderForm(config)} ${this.renderTest()}` : html`<p class="muted">${this.task.running ? 'Loading…' : ''}</p>`}
      </div>
    `;
  }
}
