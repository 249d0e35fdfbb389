import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '@parley/protocol';
import { buildModelMessages, flowContext } from '../../src/ai/prompt.js';
import { loadFlowFile } from '../../src/flows/load.js';
import { demoFlowPath } from '../../src/flows/demo.js';

const message = (seq: number, role: ChatMessage['role'], text: string): ChatMessage => ({
  seq,
  id: String(seq),
  role,
  components: [{ type: 'text', payload: { text } }],
  created_at: '2026-11-21T00:00:00.000Z',
});

describe('the prompt sent to the model', () => {
  it('carries guidance, company instructions, flow context, the recent window and the question', () => {
    const history = [message(1, 'bot', 'Hello <b>there</b>'), message(2, 'user', 'hi'), message(3, 'system', 'Dana joined'), message(4, 'agent', 'How can I help?')];
    const messages = buildModelMessages({
      companyName: 'Acme',
      systemPrompt: 'We sell mugs.',
      history,
      historyWindow: 3,
      question: 'Do you ship to Canada?',
      variables: { name: 'Ada', product: { name: 'Mug', quantity: 2 } },
      instructions: 'Only talk about shipping.',
    });
    expect(messages[0]!.role).toBe('system');
    expect(messages[0]!.content).toContain('customer support assistant of Acme');
    expect(messages[0]!.content).toContain('We sell mugs.');
    expect(messages[0]!.content).toContain('- name: Ada\n- product: name=Mug, quantity=2');
    expect(messages[0]!.content).toMatch(/Only talk about shipping\.$/);
    expect(messages.slice(1)).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'How can I help?' },
      { role: 'user', content: 'Do you ship to Canada?' },
    ]);
  });

  it('sends no history with a window of 0', () => {
    const messages = buildModelMessages({ companyName: 'A', systemPrompt: '', history: [message(1, 'user', 'x')], historyWindow: 0, question: 'q' });
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
  });

  it('never shows the model a one-time code', () => {
    const flow = loadFlowFile(demoFlowPath());
    expect(flowContext(flow, { account: '1234567', otp: '123456', issue: 'damaged' })).toEqual({ account: '1234567', issue: 'damaged' });
  });
});
