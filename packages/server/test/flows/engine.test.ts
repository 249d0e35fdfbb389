import { describe, expect, it } from 'vitest';
import type { Component, Flow } from '@parley/protocol';
import { advanceFlow, resumeFlow, startFlow, type FlowContext, type FlowState } from '../../src/flows/engine.js';
import { loadFlowFile, parseFlow } from '../../src/flows/load.js';
import { demoFlowPath } from '../../src/flows/demo.js';

const demo = loadFlowFile(demoFlowPath());
const ctx: FlowContext = {
  uploadUrl: (value) => (value.endsWith('/uploads/AAAAAAAAAAAAAAAAAAAAAA') ? '/uploads/AAAAAAAAAAAAAAAAAAAAAA' : undefined),
  newTicket: () => 'PAR-TEST0001',
  newId: () => 'id-1',
};

const kinds = (components: Component[]) => components.map((c) => c.type);
const textOf = (components: Component[]) =>
  components.flatMap((c) => (c.type === 'text' || c.type === 'error' ? [c.payload.text] : [])).join(' | ');

/** Plays answers through a flow from the start, returning every turn. */
function play(flow: Flow, answers: string[]) {
  let turn = startFlow(flow, ctx);
  const turns = [turn];
  for (const answer of answers) {
    turn = advanceFlow(flow, turn.state, { kind: 'text', text: answer }, ctx);
    turns.push(turn);
  }
  return turns;
}

describe('the demo support flow', () => {
  it('greets with the existing-customer question and two buttons', () => {
    const turn = startFlow(demo, ctx);
    expect(textOf(turn.components)).toContain('Are you an existing customer?');
    expect(turn.components[1]).toEqual({
      type: 'button_options',
      payload: { options: [{ label: 'Yes', value: 'yes' }, { label: 'No', value: 'no' }] },
    });
    expect(turn.state.step).toBe('welcome');
  });

  it('runs the damaged-product path to a ticket', () => {
    const turns = play(demo, ['yes', '1234567', '123456', 'damaged', '3', '/uploads/AAAAAAAAAAAAAAAAAAAAAA', '2']);
    expect(kinds(turns[4]!.components)).toEqual(['text', 'product_carousel']);
    const afterPick = turns[5]!;
    expect(afterPick.components).toContainEqual({
      type: 'selected_product_card',
      payload: { product: { name: 'Desk Lamp', quantity: 3, price: 39.99, total_price: 119.97 } },
    });
    expect(kinds(afterPick.components)).toContain('file_request');
    expect(turns[6]!.userComponents).toEqual([{ type: 'image', payload: { url: '/uploads/AAAAAAAAAAAAAAAAAAAAAA', alt: 'Uploaded image' } }]);
    expect(textOf(turns[6]!.components)).toContain('Please enter the Damaged Quantity');
    const last = turns[7]!;
    expect(last.terminal).toBe(true);
    expect(textOf(last.components)).toContain('PAR-TEST0001');
    expect(last.state.vars).toMatchObject({ account: '1234567', issue: 'damaged', damaged_quantity: 2, ticket: 'PAR-TEST0001' });
  });

  it('goes straight to a ticket for a delivery issue', () => {
    const turns = play(demo, ['Yes', '000123456', '123456', 'Delivery Issue', 'ceramic mug']);
    const last = turns.at(-1)!;
    expect(last.terminal).toBe(true);
    expect(textOf(last.components)).toContain('Ceramic Mug');
    expect(last.state.vars.account).toBe('000123456');
  });

  it('refuses a damaged quantity outside 1 to the product quantity', () => {
    const turns = play(demo, ['yes', '1234567', '123456', 'damaged', '2', '/uploads/AAAAAAAAAAAAAAAAAAAAAA', '2', '0', '1']);
    expect(turns[7]!.components[0]).toEqual({ type: 'error', payload: { text: 'Please enter a number from 1 to 1.' } });
    expect(textOf(turns[7]!.components)).toContain('Please enter the Damaged Quantity');
    expect(turns[8]!.components[0]!.type).toBe('error');
    expect(turns[9]!.terminal).toBe(true);
  });

  it('asks again with an error first for a wrong account number, then accepts a good one', () => {
    const turns = play(demo, ['yes', '12345', 'abcdefg', '1234567']);
    for (const turn of [turns[2]!, turns[3]!]) {
      expect(turn.components[0]).toEqual({ type: 'error', payload: { text: 'An account number has 6 to 10 digits, with nothing else.' } });
      expect(kinds(turn.components)).toEqual(['error', 'text', 'input']);
      expect(turn.state.step).toBe('account');
    }
    expect(turns[4]!.state.step).toBe('otp');
  });

  it('says how many attempts are left after each wrong code, as the original component API did', () => {
    const turns = play(demo, ['yes', '1234567', '111111', '22', '333333']);
    const errors = turns.slice(3).map((t) => t.components[0]);
    expect(errors).toEqual([
      { type: 'error', payload: { text: 'Invalid OTP entered. You have 2 attempt(s) left.' } },
      { type: 'error', payload: { text: 'Invalid OTP entered. You have 1 attempt(s) left.' } },
      { type: 'error', payload: { text: 'Invalid OTP entered. You have 0 attempt(s) left.' } },
    ]);
    // A right code after a wrong one is accepted; the count starts again at the next such step.
    const recovered = play(demo, ['yes', '1234567', '111111', '123456']);
    expect(recovered[4]!.state.step).toBe('menu');
  });

  it('fills {{attempts_left}} in any input error, and leaves it empty without max_attempts', () => {
    const flow = parseFlow({
      id: 'pin',
      name: 'PIN',
      version: 1,
      start: 'pin',
      steps: {
        pin: { type: 'input', kind: 'number', text: 'PIN?', var: 'pin', validate: { equals: '42' }, error: 'No ({{ attempts_left }} left).', max_attempts: 5, on_fail: 'out', next: 'free' },
        free: { type: 'input', kind: 'email', text: 'Email?', var: 'email', error: 'Bad email{{attempts_left}}.', next: 'out' },
        out: { type: 'end', text: 'Bye' },
      },
    });
    const turns = play(flow, ['1', '2', '42', 'nope']);
    expect(turns.slice(1, 3).map((t) => textOf([t.components[0]!]))).toEqual(['No (4 left).', 'No (3 left).']);
    expect(textOf([turns[4]!.components[0]!])).toBe('Bad email.');
  });

  it('ends the conversation after three wrong codes, and masks codes in the transcript', () => {
    const turns = play(demo, ['yes', '1234567', '111111', '222222', '333333']);
    expect(turns[3]!.terminal).toBe(false);
    expect(turns[4]!.terminal).toBe(false);
    expect(turns[4]!.state.attempts).toBe(2);
    const last = turns[5]!;
    expect(last.terminal).toBe(true);
    expect(kinds(last.components)).toEqual(['error', 'text']);
    expect(textOf(last.components)).toContain('Too many incorrect codes');
    expect(last.userComponents).toEqual([{ type: 'text', payload: { text: '••••••' } }]);
  });

  it('collects a new customer as a lead', () => {
    const turns = play(demo, ['no', 'A', 'Ada <b>Lovelace</b>', 'not-an-email', 'ada@example.com', '12', '+44 20 7946 0958']);
    expect(turns[2]!.components[0]!.type).toBe('error');
    expect(textOf(turns[3]!.components)).toContain('Thanks, Ada &lt;b&gt;Lovelace&lt;/b&gt;.');
    expect(turns[4]!.components[0]!.type).toBe('error');
    expect(turns[6]!.components[0]!.type).toBe('error');
    const last = turns[7]!;
    expect(last.effects).toEqual([{ type: 'lead', data: { name: 'Ada <b>Lovelace</b>', email: 'ada@example.com', phone: '+442079460958' } }]);
    expect(last.terminal).toBe(true);
  });

  it('answers a typed question at a choice as unrecognized, with the error and the prompt again', () => {
    const [, turn] = play(demo, ['What are your opening hours?']);
    expect(turn!.unrecognized).toBe(true);
    expect(kinds(turn!.components)).toEqual(['error', 'text', 'button_options']);
  });

  it('starts over after the end', () => {
    const turns = play(demo, ['no', 'Ada', 'ada@example.com', '+15551234567', 'hello again']);
    expect(turns[4]!.terminal).toBe(true);
    expect(turns[5]!.state.step).toBe('welcome');
    expect(turns[5]!.userComponents).toEqual([{ type: 'text', payload: { text: 'hello again' } }]);
  });
});

describe('flow steps', () => {
  const flow = (steps: Flow['steps'], start = 'a'): Flow => ({ id: 't', name: 'T', version: 1, start, steps });

  it('branches on conditions and sets variables', () => {
    const f = flow({
      a: { type: 'input', kind: 'number', text: 'Age?', var: 'age', next: 'b' },
      b: { type: 'branch', cases: [{ when: { var: 'age', lt: 18 }, next: 'minor' }], else: 'c' },
      c: { type: 'set', var: 'label', value: 'adult aged {{age}}', next: 'adult' },
      minor: { type: 'end', text: 'minor' },
      adult: { type: 'end', text: '{{label}}' },
    });
    expect(textOf(play(f, ['12']).at(-1)!.components)).toBe('minor');
    expect(textOf(play(f, ['40']).at(-1)!.components)).toBe('adult aged 40');
  });

  it('hands off to a person and resumes at the next step afterwards', () => {
    const f = flow({
      a: { type: 'handoff', text: 'Connecting you to a person.', next: 'b' },
      b: { type: 'choice', text: 'Anything else?', options: [{ label: 'No', value: 'no', next: 'c' }] },
      c: { type: 'end' },
    });
    const turn = startFlow(f, ctx);
    expect(turn.effects).toEqual([{ type: 'handoff' }]);
    expect(kinds(turn.components)).toEqual(['text']);
    const resumed = resumeFlow(f, turn.state as FlowState, ctx);
    expect(textOf(resumed.components)).toBe('Anything else?');
  });

  it('ends a flow that runs out of steps', () => {
    const f = flow({ a: { type: 'input', kind: 'text', text: 'Name?', var: 'n', next: 'b' }, b: { type: 'say', text: 'bye', next: 'c' }, c: { type: 'end' } });
    expect(play(f, ['x']).at(-1)!.terminal).toBe(true);
  });
});
