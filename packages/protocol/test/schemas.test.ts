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

  it('accept forms and identities, and refuse poisoned or oversized values', () => {
    expect(frame.Check({ type: 'form', id: 'f-1', form: 'ask', values: { email: 'a@b.co', team_size: '12' } })).toBe(true);
    expect(frame.Check({ type: 'form', id: 'f-1', form: 'ask', values: { email: 5 } })).toBe(false);
    expect(frame.Check({ type: 'form', id: 'f-1', form: 'ask', values: { 'two words': 'x' } })).toBe(false);
    expect(frame.Check(JSON.parse('{"type":"form","id":"f1","form":"ask","values":{"__proto__":"x"}}'))).toBe(false);
    expect(frame.Check({ type: 'form', id: 'f-1', form: 'ask', values: { note: 'x'.repeat(1001) } })).toBe(false);
    expect(frame.Check({ type: 'hello', identity: { user_id: '42', name: 'Ann', hash: 'ab'.repeat(32) } })).toBe(true);
    expect(frame.Check({ type: 'identify', token: 'a.b.c' })).toBe(true);
    expect(frame.Check({ type: 'identify', user_id: '42', admin: true })).toBe(false);
    expect(chatbotMessage.Check({ form: { id: 'ask', values: { email: 'a@b.co' } } })).toBe(true);
    expect(component.Check({ type: 'form', payload: { id: 'ask', submit_label: 'Send', fields: [{ name: 'email', label: 'Email', kind: 'email', required: true }] } })).toBe(true);
    expect(component.Check({ type: 'form', payload: { id: 'ask', submit_label: 'Send', fields: [{ name: 'x', label: 'X', kind: 'date' }] } })).toBe(false);
  });

  it('validate flow documents', () => {
    const ok = { id: 'f', name: 'F', version: 1, start: 'a', steps: { a: { type: 'end', text: 'bye' } } };
    expect(flow.Check(ok)).toBe(true);
    expect(flow.Check({ ...ok, steps: { a: { type: 'end', txt: 'bye' } } })).toBe(false);
    expect(flow.Check({ ...ok, steps: { 'bad id': { type: 'end' } } })).toBe(false);
  });
});
