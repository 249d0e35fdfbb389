import { describe, expect, it } from 'vitest';
import { providerOf, readAiForm } from './ai-view.component.js';

describe('AI settings helpers', () => {
  it('reads the form, sending the API key only when one was typed', () => {
    const data = new FormData();
    for (const [k, v] of Object.entries({ enabled: 'on', base_url: ' http://localhost:11434/v1 ', model: 'llama3.1', temperature: '0.7', max_tokens: '800', system_prompt: 'Be brief.', history_window: '6', timeout_s: '45', api_key: '' })) {
      data.set(k, v);
    }
    expect(readAiForm(data)).toEqual({
      enabled: true,
      base_url: 'http://localhost:11434/v1',
      model: 'llama3.1',
      temperature: 0.7,
      max_tokens: 800,
      system_prompt: 'Be brief.',
      history_window: 6,
      timeout_ms: 45000,
    });
    data.set('api_key', ' sk-new ');
    data.delete('enabled');
    expect(readAiForm(data)).toMatchObject({ enabled: false, api_key: 'sk-new' });
  });

  it('recognises known providers by their base URL', () => {
    expect(providerOf('https://openrouter.ai/api/v1/')?.name).toBe('OpenRouter');
    expect(providerOf('https://llm.internal.example/v1')).toBeUndefined();
  });
});
