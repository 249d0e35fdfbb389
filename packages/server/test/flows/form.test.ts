import { describe, expect, it } from 'vitest';
import type { Component, FormComponent } from '@parley/protocol';
import { advanceFlow, currentPrompt, startFlow, type FlowContext } from '../../src/flows/engine.js';
import { FlowError, loadFlowFile, parseFlow } from '../../src/flows/load.js';

const ctx: FlowContext = { uploadUrl: () => undefined, newTicket: () => 'PAR-TEST0001', newId: () => 'id-1' };
const errorsOf = (components: Component[]) => components.flatMap((c) => (c.type === 'error' ? [c.payload.text] : []));
const formOf = (components: Component[]) => components.find((c): c is FormComponent => c.type === 'form')!;

const flow = parseFlow({
  id: 'f',
  name: 'F',
  version: 1,
  start: 'seats',
  steps: {
    seats: { type: 'input', kind: 'number', text: 'How many seats?', var: 'seats', next: 'contact' },
    contact: {
      type: 'form',
      fields: [
        { name: 'email', label: 'Work email', kind: 'email', required: true },
        { name: 'quota', label: 'Quota', kind: 'number', validate: { min: '{{seats}}', max: 1000 } },
        { name: 'code', label: 'Code', kind: 'text', validate: { pattern: '^[A-Z]{3}$' }, error: 'Three capital letters, please.' },
        { name: 'size', label: 'Size', kind: 'select', options: [{ label: 'Small', value: 's' }, { label: 'Large', value: 'l' }] },
      ],
      lead: true,
      next: 'nps',
    },
    nps: { type: 'form', text: 'One last thing', fields: [{ name: 'score', label: 'Score', kind: 'number', required: true }], next: 'bye' },
    bye: { type: 'end', text: 'Bye' },
  },
});

describe('the form step', () => {
  it('checks each field with the same rules as an input step, variables included, and keeps what was valid', () => {
    const asked = advanceFlow(flow, startFlow(flow, ctx).state, { kind: 'text', text: '10' }, ctx);
    expect(formOf(asked.components).payload.fields[1]).toMatchObject({ min: 10, max: 1000 });
    expect(formOf(asked.components).payload.submit_label).toBe('Send');

    const wrong = advanceFlow(flow, asked.state, { kind: 'form', form: 'contact', values: { email: 'a@b.co', quota: '5', code: 'abc', size: 'Large' } }, ctx);
    expect(errorsOf(wrong.components)).toEqual(['Quota: Please enter a number from 10 to 1000.', 'Code: Three capital letters, please.']);
    expect(wrong.state.step).toBe('contact');
    expect(wrong.effects).toEqual([]);
    expect(formOf(wrong.components).payload.fields.map((f) => [f.name, f.value ?? null, f.error ?? null])).toEqual([
      ['email', 'a@b.co', null],
      ['quota', null, 'Please enter a number from 10 to 1000.'],
      ['code', null, 'Three capital letters, please.'],
      ['size', 'Large', null],
    ]);

    const right = advanceFlow(flow, wrong.state, { kind: 'form', form: 'contact', values: { email: 'a@b.co', quota: '12', code: 'ABC', size: 'large' } }, ctx);
    expect(right.effects).toEqual([{ type: 'lead', source: 'form', data: { email: 'a@b.co', quota: 12, code: 'ABC', size: 'l' } }]);
    expect(right.state.vars).toMatchObject({ seats: 10, email: 'a@b.co', quota: 12, size: 'l' });
    expect(right.state.step).toBe('nps');
    expect(right.userComponents).toEqual([{ type: 'text', payload: { text: '<b>Work email</b>: a@b.co<br><b>Quota</b>: 12<br><b>Code</b>: ABC<br><b>Size</b>: Large' } }]);
  });

  it('takes typed text for a one-field form, asks for the form otherwise, and refuses an old form', () => {
    const atContact = advanceFlow(flow, startFlow(flow, ctx).state, { kind: 'text', text: '1' }, ctx);
    const typed = advanceFlow(flow, atContact.state, { kind: 'text', text: 'a@b.co' }, ctx);
    expect(errorsOf(typed.components)).toEqual(['Please fill in the form above.']);
    expect(typed.unrecognized).toBe(true);

    const atNps = advanceFlow(flow, atContact.state, { kind: 'form', form: 'contact', values: { email: 'a@b.co' } }, ctx);
    expect(atNps.effects).toHaveLength(1);
    const old = advanceFlow(flow, atNps.state, { kind: 'form', form: 'contact', values: { email: 'x@y.co' } }, ctx);
    expect(errorsOf(old.components)).toEqual(['This form is no longer active.']);
    expect(old.state.step).toBe('nps');
    expect(formOf(currentPrompt(flow, atNps.state)).payload.id).toBe('nps');

    const score = advanceFlow(flow, atNps.state, { kind: 'text', text: '9' }, ctx);
    expect(score.state.vars.score).toBe(9);
    expect(score.terminal).toBe(true);
  });

  it('is checked when the flow loads', () => {
    try {
      parseFlow({
        id: 'f',
        name: 'F',
        version: 1,
        start: 'a',
        steps: {
          a: {
            type: 'form',
            fields: [
              { name: 'x', label: 'X', kind: 'select' },
              { name: 'x', label: 'X2', kind: 'text', options: [{ label: 'A', value: 'a' }], validate: { pattern: '([' } },
            ],
            next: 'b',
          },
          b: { type: 'end' },
        },
      });
      throw new Error('expected a FlowError');
    } catch (error) {
      expect(error).toBeInstanceOf(FlowError);
      expect((error as FlowError).problems).toEqual([
        'steps.a.fields: field names must differ',
        'steps.a.fields.0.options: a select field needs "options"',
        'steps.a.fields.1.options: only a select field has "options"',
        'steps.a.fields.1.validate.pattern: not a valid regular expression',
      ]);
    }
    expect(() =>
      parseFlow({ id: 'f', name: 'F', version: 1, start: 'a', steps: { a: { type: 'form', fields: [{ name: '__proto__', label: 'P', kind: 'text' }], next: 'a' } } }),
    ).toThrow(FlowError);
  });
});

describe('the call-back example flow', () => {
  it('loads, asks with a form, and stores the lead', () => {
    const example = loadFlowFile(new URL('../../../../examples/flows/callback.json', import.meta.url).pathname);
    const yes = advanceFlow(example, startFlow(example, ctx).state, { kind: 'action', value: 'yes' }, ctx);
    expect(formOf(yes.components).payload.submit_label).toBe('Call me back');
    const done = advanceFlow(example, yes.state, { kind: 'form', form: 'details', values: { name: 'Al', email: 'al@co.test', phone: '+44 20 7946 0000', topic: 'demo' } }, ctx);
    expect(done.effects).toEqual([{ type: 'lead', source: 'form', data: { name: 'Al', email: 'al@co.test', phone: '+442079460000', topic: 'demo' } }]);
    expect(done.terminal).toBe(true);
  });
});
