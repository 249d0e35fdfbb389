import { afterEach, describe, expect, it } from 'vitest';
import { AiError, completeChat } from '../../src/ai/provider.js';
import { defaultAiSettings, type AiSettings } from '../../src/ai/settings.js';
import { startFakeOpenAI, type Script } from '../support/fake-openai.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

async function provider(script: Script | ((body: { tools?: unknown }) => Script)) {
  const fake = await startFakeOpenAI((request) => (typeof script === 'function' ? script(request.body) : script));
  close = fake.close;
  const settings: AiSettings = { ...defaultAiSettings, enabled: true, baseUrl: fake.baseUrl, apiKey: 'sk-test', model: 'test-model', timeoutMs: 1500 };
  return { fake, settings };
}

const question = [{ role: 'user' as const, content: 'What are your opening hours?' }];

describe('completeChat over a real HTTP provider', () => {
  it('streams the answer piece by piece and returns the whole text', async () => {
    const { fake, settings } = await provider({ chunks: ['We are open ', '9 to 5', ', Monday to Friday.'] });
    const deltas: string[] = [];
    const reply = await completeChat(settings, question, (d) => deltas.push(d));
    expect(deltas).toEqual(['We are open ', '9 to 5', ', Monday to Friday.']);
    expect(reply).toEqual({ text: 'We are open 9 to 5, Monday to Friday.' });
    const sent = fake.received[0]!;
    expect(sent.authorization).toBe('Bearer sk-test');
    expect(sent.body).toMatchObject({ model: 'test-model', stream: true, temperature: 0.3, max_tokens: 500 });
    expect(sent.body.tools?.[0]?.function.name).toBe('handoff_to_human');
  });

  it('reports a hand-off when the model calls the tool', async () => {
    const { settings } = await provider({ toolCall: { name: 'handoff_to_human', arguments: '{"reason":"wants a refund"}' } });
    expect(await completeChat(settings, question)).toEqual({ text: '', handoff: { reason: 'wants a refund' } });
  });

  it('retries without tools when the provider rejects them', async () => {
    const { fake, settings } = await provider((body) =>
      body.tools ? { status: 400, errorMessage: 'registry.ollama.ai/library/gemma does not support tools' } : { chunks: ['Plain answer'] },
    );
    expect(await completeChat(settings, question)).toEqual({ text: 'Plain answer' });
    expect(fake.received.map((r) => Boolean(r.body.tools))).toEqual([true, false]);
  });

  const failures: Array<[string, Script, AiError['kind'], RegExp]> = [
    ['a server error', { status: 500 }, 'unavailable', /answered with an error \(500\)/],
    ['a rate limit', { status: 429 }, 'rate_limited', /rate-limiting requests \(429\)/],
    ['a refused key', { status: 401 }, 'auth', /refused the API key \(401\)/],
    ['a slow answer', { delayMs: 3000, chunks: ['late'] }, 'timeout', /did not answer within 2 s/],
    ['a stalled stream', { chunks: ['a', 'b'], chunkDelayMs: 3000 }, 'timeout', /did not answer within 2 s/],
    ['a malformed stream', { chunks: ['a', 'b'], malformed: true }, 'bad_response', /could not be read/],
    ['an empty answer', { chunks: [] }, 'bad_response', /empty answer/],
  ];
  for (const [name, script, kind, message] of failures) {
    it(`turns ${name} into a plain AiError`, async () => {
      const { settings } = await provider(script);
      const started = Date.now();
      const error = await completeChat(settings, question).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AiError);
      expect((error as AiError).kind).toBe(kind);
      expect((error as AiError).message).toMatch(message);
      expect(Date.now() - started).toBeLessThan(2900);
    });
  }

  it('fails fast when the provider cannot be reached', async () => {
    const settings = { ...defaultAiSettings, enabled: true, baseUrl: 'http://127.0.0.1:9/v1', model: 'm', timeoutMs: 2000 };
    const error = await completeChat(settings, question).catch((e: unknown) => e);
    expect((error as AiError).kind).toBe('unavailable');
    expect((error as AiError).message).toBe('Could not reach the AI provider at http://127.0.0.1:9/v1');
  });
});
