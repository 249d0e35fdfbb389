import OpenAI from 'openai';
import type { AiSettings } from './settings.js';
import { probes } from '../core/probes.js';

/** One message sent to the model. */
export interface ModelMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What the model produced: its text, and whether it asked to hand the visitor to a person. */
export interface ModelReply {
  text: string;
  handoff?: { reason: string };
}

/** Why a model call failed, in words a site owner understands, with a kind for the code to act on. */
export class AiError extends Error {
  constructor(
    readonly kind: 'timeout' | 'rate_limited' | 'auth' | 'unavailable' | 'bad_response' | 'not_configured',
    message: string,
  ) {
    super(message);
    this.name = 'AiError';
  }
}

/** The function the model may call to hand the conversation to a person. */
export const HANDOFF_TOOL = {
  type: 'function' as const,
  function: {
    name: 'handoff_to_human',
    description:
      'Hand the conversation to a human support agent. Call it when the visitor asks for a person, or when you cannot answer reliably.',
    parameters: {
      type: 'object',
      properties: { reason: { type: 'string', description: 'Why a person should take over, in a few words.' } },
      required: ['reason'],
      additionalProperties: false,
    },
  },
};

const clients = new Map<string, OpenAI>();

function clientFor(settings: AiSettings): OpenAI {
  const key = `${settings.baseUrl}\u0000${settings.apiKey}`;
  let client = clients.get(key);
  if (!client) {
    // Providers like Ollama need no key, but the client insists on one.
    client = new OpenAI({ baseURL: settings.baseUrl, apiKey: settings.apiKey || 'none', maxRetries: 0 });
    if (clients.size > 100) clients.clear();
    clients.set(key, client);
  }
  return client;
}

/** Turns anything the client throws into an `AiError` with a plain message. */
export function describeProviderError(error: unknown, settings: AiSettings): AiError {
  if (error instanceof AiError) return error;
  if (error instanceof OpenAI.APIUserAbortError || (error as Error)?.name === 'AbortError') {
    return new AiError('timeout', `The AI provider did not answer within ${Math.round(settings.timeoutMs / 1000)} s`);
  }
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return new AiError('timeout', `The AI provider did not answer within ${Math.round(settings.timeoutMs / 1000)} s`);
  }
  if (error instanceof OpenAI.APIConnectionError) {
    return new AiError('unavailable', `Could not reach the AI provider at ${settings.baseUrl}`);
  }
  if (error instanceof OpenAI.APIError) {
    const detail = typeof error.message === 'string' ? error.message.replace(/^\d{3}\s*/, '').slice(0, 300) : '';
    if (error.status === 401 || error.status === 403) return new AiError('auth', `The AI provider refused the API key (${error.status}): ${detail}`);
    if (error.status === 429) return new AiError('rate_limited', `The AI provider is rate-limiting requests (429): ${detail}`);
    if (error.status === 404) return new AiError('bad_response', `The AI provider does not know this model or URL (404): ${detail}`);
    return new AiError('unavailable', `The AI provider answered with an error (${error.status ?? 'no status'}): ${detail}`);
  }
  return new AiError('bad_response', `The AI provider sent a response that could not be read: ${(error as Error)?.message ?? String(error)}`);
}

/**
 * Asks the model for a reply, streaming text pieces to `onDelta` as they arrive. Offers the
 * hand-off tool (retrying once without tools for providers that reject them). Never takes longer
 * than `settings.timeoutMs` in all; throws `AiError` on any failure.
 */
export async function completeChat(
  settings: AiSettings,
  messages: ModelMessage[],
  onDelta: (text: string) => void = () => undefined,
  options: { tools?: boolean } = {},
): Promise<ModelReply> {
  if (!settings.model) throw new AiError('not_configured', 'No AI model is configured');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), settings.timeoutMs);
  const withTools = options.tools ?? true;
  const started = probes.aiCall.hasSubscribers ? performance.now() : 0;
  let ok = false;
  try {
    const stream = await clientFor(settings).chat.completions.create(
      {
        model: settings.model,
        messages,
        temperature: settings.temperature,
        max_tokens: settings.maxTokens,
        stream: true,
        ...(withTools ? { tools: [HANDOFF_TOOL] } : {}),
      },
      { signal: controller.signal, timeout: settings.timeoutMs },
    );
    let text = '';
    let toolName = '';
    let toolArguments = '';
    for await (const chunk of stream) {
      const delta = chunk.choices?.[0]?.delta;
      if (!delta) continue;
      if (typeof delta.content === 'string' && delta.content !== '') {
        text += delta.content;
        onDelta(delta.content);
      }
      for (const call of delta.tool_calls ?? []) {
        if (call.function?.name) toolName += call.function.name;
        if (call.function?.arguments) toolArguments += call.function.arguments;
      }
    }
    if (toolName === HANDOFF_TOOL.function.name) {
      let reason = 'The assistant handed the conversation over';
      try {
        const parsed = JSON.parse(toolArguments || '{}') as { reason?: unknown };
        if (typeof parsed.reason === 'string' && parsed.reason.trim()) reason = parsed.reason.trim().slice(0, 500);
      } catch {
        // A tool call with unreadable arguments still means "hand over".
      }
      ok = true;
      return { text, handoff: { reason } };
    }
    if (text.trim() === '') throw new AiError('bad_response', 'The AI provider sent an empty answer');
    ok = true;
    return { text };
  } catch (error) {
    const described = controller.signal.aborted
      ? new AiError('timeout', `The AI provider did not answer within ${Math.round(settings.timeoutMs / 1000)} s`)
      : describeProviderError(error, settings);
    const rejectsTools = error instanceof OpenAI.APIError && error.status === 400 && /tool|function/i.test(error.message);
    if (withTools && rejectsTools && !controller.signal.aborted) {
      return completeChat(settings, messages, onDelta, { tools: false });
    }
    throw described;
  } finally {
    clearTimeout(timer);
    if (started) probes.aiCall.publish({ ok, ms: performance.now() - started });
  }
}
