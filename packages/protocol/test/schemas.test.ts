import { describe, expect, it } from 'vitest';
import { Compile } from 'typebox/compile';
import { Component, ChatbotMessageRequest, Flow, VisitorClientFrame } from '../src/index.js';

const frame = Compile(VisitorClientFrame);
const component = Compile(Component);
const chatbotMessage = Compile(ChatbotMessageRequest);
const flow = Compile(Flow);

describe('wire schemas', () => {
  it('accept the documented frames', () => {
    expect(frame.Check({ type: 'hello' })).toBe(true);
    expect(frame.Check({ type: 'hello', session: 'a'.repeat(32), last_seq: 4 })).toBe(true);
    expect(frame.Check({ type: 'message', id: 'm-1', text: 'hi' })).toBe(true);
    expect(frame.Check({ type: 'action', id: 'a_2', value: 'yes' })).toBe(true);
  });

  it('refuse unknown keys, __proto__ and wrong types', () => {
    expect(frame.Check({ type: 'message', id: 'm1', text: 'hi', extra: 1 })).toBe(false);
    expect(frame.Check(JSON.parse('{"type":"message","id":"m1","text":"hi","__proto__":{"x":1}}'))).toBe(false);
    expect(frame.Check({ type: 'message', id: 'm1', text: { $gt: '' } })).toBe(false);
    expect(frame.Check({ type: 'message', id: 'bad id!', text: 'hi' })).toBe(false);
    expect(frame.Check({ type: 'message', id: 'm1', text: '' })).toBe(false);
    expect(frame.Check({ type: 'nope' })).toBe(false);
    expect(chatbotMessage.Check({ message: 5 })).toBe(false);
    expect(chatbotMessage.Check({ message: 'x', chatbot_session: 'short' })).toBe(false);
  });

  it('describe every component with a discriminating type', () => {
    expect(component.Check({ type: 'text', payload: { text: '<b>x</b>' } })).toBe(true);
    expect(component.Check({ type: 'input', payload: { placeholder: '', kind: 'otp' } })).toBe(true);
    expect(component.Check({ type: 'input', payload: { placeholder: '', kind: 'password' } })).toBe(false);
    expect(
      component.Check({ type: 'product_carousel', payload: { products: [{ index: 1, name: 'A', quantity: 2, price: 3.5 }] } }),
    ).toBe(true);
    expect(component.Check({ type: 'error', payload: { text: 'x' }, more: true })).toBe(false);
  });

  it('validate flow documents', () => {
    const ok = { id: 'f', name: 'F', version: 1, start: 'a', steps: { a: { type: 'end', text: 'bye' } } };
    expect(flow.Check(ok)).toBe(true);
    expect(flow.Check({ ...ok, steps: { a: { type: 'end', txt: 'bye' } } })).toBe(false);
    expect(flow.Check({ ...ok, steps: { 'bad id': { type: 'end' } } })).toBe(false);
  });
});
