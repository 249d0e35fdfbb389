import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'lit';
import { checkFlow } from '@parley/protocol';
import { connect, exitsOf, NEW_STEP, setField, type FlowDoc } from './edit.js';
import { renderStepForm } from './step-form.js';
import { readCondition, writeCondition } from './logic-forms.js';

/**
 * Renders the side panel for one step into the page, applies what it reports to the document the
 * way the builder does, and renders again, so each test drives the form as a person would.
 */
function panel(doc: FlowDoc, id: string) {
  const host = document.createElement('div');
  document.body.append(host);
  const state = { doc, connect: undefined as string | undefined, host };
  const draw = () =>
    render(
      renderStepForm(state.doc, id, checkFlow(state.doc).filter((p) => p.step === id), ['answer', 'email', 'name'], {
        set: (field, value) => {
          state.doc = setField(state.doc, id, field, value);
          draw();
        },
        replace: (step) => {
          state.doc = { ...state.doc, steps: { ...state.doc.steps, [id]: step } };
          draw();
        },
        rename: () => undefined,
        action: (kind, field) => {
          if (kind === 'connect') state.connect = field;
        },
      }),
      host,
    );
  draw();
  return state;
}

const q = <T extends Element>(host: Element, selector: string) => {
  const found = host.querySelector<T>(selector);
  if (!found) throw new Error(`no ${selector}`);
  return found;
};
const type = (el: HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement, value: string, event = 'input') => {
  el.value = value;
  el.dispatchEvent(new Event(event, { bubbles: true }));
};
const alerts = (host: Element) => [...host.querySelectorAll('.field-problem')].map((e) => e.textContent!.trim());

const flowWith = (step: Record<string, unknown>): FlowDoc => ({
  id: 'f',
  name: 'F',
  version: 1,
  start: 's',
  steps: { s: step, yes: { type: 'say', text: 'Yes', next: 'done' }, oops: { type: 'say', text: 'Oops', next: 'done' }, done: { type: 'end' } },
});

/** The problems of the step under test (the other steps of the fixture may be unreachable). */
const own = (doc: FlowDoc) => checkFlow(doc).filter((p) => p.step === 's');

afterEach(() => document.body.replaceChildren());

describe('the step forms', () => {
  it('edits a branch: a case variable, its test and value, its target, and the else', () => {
    const s = panel(flowWith(NEW_STEP.branch('yes')), 's');
    type(q(s.host, '[aria-label="Case 1 variable"]'), 'plan');
    type(q(s.host, '[aria-label="Case 1 test"]'), 'in', 'change');
    type(q(s.host, '[aria-label="Case 1 value"]'), 'gold, silver');
    type(q(s.host, '[aria-label="Else go to"]'), 'oops', 'change');
    expect(s.doc.steps.s).toEqual({ type: 'branch', cases: [{ when: { var: 'plan', in: ['gold', 'silver'] }, next: 'yes' }], else: 'oops' });
    // A case pointed at a step that does not exist: the validator's problem shows under that case.
    q<HTMLButtonElement>(s.host, 'fieldset button:not(.danger)').click();
    type(q(s.host, '[aria-label="Case 2 goes to"]'), '', 'change');
    expect(alerts(s.host)).toEqual(['next: is required']);
    expect(own(s.doc)).toContainEqual({ step: 's', field: 'cases.1.next', message: 'is required' });
  });

  it('reads and writes every branch test', () => {
    expect(writeCondition('n', 'gt', '3')).toEqual({ var: 'n', gt: 3 });
    expect(writeCondition('n', 'exists', 'no')).toEqual({ var: 'n', exists: false });
    expect(readCondition({ var: 'x', in: ['a', 'b'] })).toEqual({ var: 'x', op: 'in', value: 'a, b' });
    expect(readCondition({ var: 'x', not_equals: 'a' })).toEqual({ var: 'x', op: 'not_equals', value: 'a' });
  });

  it('edits a form step: adds a select field, names it, requires it, and shows the problem of a select without choices', () => {
    const s = panel(flowWith(NEW_STEP.form('done')), 's');
    q<HTMLButtonElement>(s.host, 'fieldset > button').click();
    type(q(s.host, '[aria-label="Field 2 name"]'), 'size');
    type(q(s.host, '[aria-label="Field 2 label"]'), 'Size');
    q<HTMLInputElement>(s.host, '[aria-label="Field 2 required"]').click();
    type(q(s.host, '[aria-label="Field 2 kind"]'), 'select', 'change');
    type(q(s.host, '[aria-label="Field 2 choices"]'), 'S, M', 'change');
    const fields = s.doc.steps.s!.fields as Array<Record<string, unknown>>;
    expect(fields[1]).toEqual({ name: 'size', label: 'Size', kind: 'select', required: true, options: [{ label: 'S', value: 'S' }, { label: 'M', value: 'M' }] });
    expect(own(s.doc)).toEqual([]);
    type(q(s.host, '[aria-label="Field 2 name"]'), 'name');
    expect(alerts(s.host)).toContain('field names must differ');
  });

  it('edits a set step: a value, or a generated reference, never both', () => {
    const s = panel(flowWith(NEW_STEP.set('done')), 's');
    type(q(s.host, '#f-var'), 'greeting');
    type(q(s.host, '#f-set-mode'), 'value', 'change');
    type(q(s.host, '#f-value'), 'Hi {{name}}');
    expect(s.doc.steps.s).toEqual({ type: 'set', var: 'greeting', value: 'Hi {{name}}', next: 'done' });
    type(q(s.host, '#f-set-mode'), 'uuid', 'change');
    expect(s.doc.steps.s).toEqual({ type: 'set', var: 'greeting', generate: 'uuid', next: 'done' });
    expect(own(s.doc)).toEqual([]);
  });

  it('edits a lead step by picking variables', () => {
    const s = panel(flowWith(NEW_STEP.lead('done')), 's');
    const box = [...s.host.querySelectorAll<HTMLInputElement>('label.check input')].find((i) => i.parentElement!.textContent!.includes('email'))!;
    box.click();
    expect(s.doc.steps.s!.fields).toEqual(['answer', 'email']);
    type(q(s.host, '#f-lead-fields'), '', 'change');
    expect(alerts(s.host)).toContain('must not have fewer than 1 items');
  });

  it('edits an http step: method, URL, a secret header, body, timeout, mapping and on_error, with problems under their fields', () => {
    const s = panel(flowWith(NEW_STEP.http('yes')), 's');
    type(q(s.host, '#f-url'), 'ftp://nope');
    expect(alerts(s.host)).toContain('the URL must start with http:// or https:// and name a host');
    type(q(s.host, '#f-url'), 'https://shop.example/orders/{{answer}}');
    type(q(s.host, '#f-method'), 'POST', 'change');
    const addHeader = [...s.host.querySelectorAll('button')].find((b) => b.textContent === 'Add header')!;
    addHeader.click();
    type(q(s.host, '[aria-label="Header 1"]'), 'Authorization', 'change');
    type(q(s.host, '[aria-label="Value 1"]'), 'Bearer k');
    q<HTMLInputElement>(s.host, '[aria-label="Header Authorization is secret"]').click();
    type(q(s.host, '#f-body'), '{"id": {{answer}');
    expect(alerts(s.host)).toContain('the body must be JSON (with {{variables}} where values go)');
    type(q(s.host, '#f-body'), '{"id": "{{answer}}"}');
    type(q(s.host, '#f-timeout'), '3000');
    type(q(s.host, '[aria-label="Path 1"]'), 'order.status');
    type(q(s.host, '[aria-label="On error go to"]'), 'oops', 'change');
    expect(s.doc.steps.s).toEqual({
      type: 'http',
      method: 'POST',
      url: 'https://shop.example/orders/{{answer}}',
      headers: { Authorization: 'Bearer k' },
      secret_headers: ['Authorization'],
      body: '{"id": "{{answer}}"}',
      timeout_ms: 3000,
      map: { status: 'order.status' },
      next: 'yes',
      on_error: 'oops',
    });
    expect(own(s.doc)).toEqual([]);
    // Renaming a secret header keeps it secret; removing it drops the mark.
    type(q(s.host, '[aria-label="Header 1"]'), 'X-Api-Key', 'change');
    expect(s.doc.steps.s!.secret_headers).toEqual(['X-Api-Key']);
    expect(own(s.doc)).toEqual([]);
    q<HTMLButtonElement>(s.host, '[aria-label="Remove Header 1"]').click();
    expect(s.doc.steps.s!.headers).toBeUndefined();
    expect(s.doc.steps.s!.secret_headers).toBeUndefined();
  });

  it('keeps the JSON editor as an advanced fallback', () => {
    const s = panel(flowWith(NEW_STEP.set('done')), 's');
    type(q(s.host, '#f-json'), JSON.stringify({ type: 'set', var: 'x', value: '1', next: 'yes' }), 'change');
    expect(s.doc.steps.s).toEqual({ type: 'set', var: 'x', value: '1', next: 'yes' });
  });

  it('lets "Connect…" pick any exit: options, on_fail, on_error, cases and else', () => {
    expect(exitsOf(NEW_STEP.input('d')).map(([f]) => f)).toEqual(['next', 'on_fail']);
    expect(exitsOf(NEW_STEP.http('d')).map(([f]) => f)).toEqual(['next', 'on_error']);
    expect(exitsOf(NEW_STEP.branch('d')).map(([f]) => f)).toEqual(['cases.0.next', 'else']);
    expect(exitsOf(NEW_STEP.choice('d')).map(([f]) => f)).toEqual(['options.0.next', 'options.1.next', 'next']);
    expect(exitsOf(NEW_STEP.end(''))).toEqual([]);
    const s = panel(flowWith(NEW_STEP.http('yes')), 's');
    type(q(s.host, '[aria-label="Exit to connect"]'), 'on_error', 'change');
    [...s.host.querySelectorAll('button')].find((b) => b.textContent === 'Connect…')!.click();
    expect(s.connect).toBe('on_error');
    expect(connect(s.doc, 's', s.connect!, 'oops').steps.s!.on_error).toBe('oops');
  });
});
