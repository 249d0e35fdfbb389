import { afterEach, describe, expect, it } from 'vitest';
import type { FormComponent } from '../../protocol.js';
import { $, $$, mount, record } from '../../../test/dom.js';
import type { ParleyFormEvent } from '../../events/parley-form.js';
import './form.js';
import type { ParleyForm } from './form.component.js';

afterEach(() => document.body.replaceChildren());

const form: FormComponent['payload'] = {
  id: 'ask',
  submit_label: 'Call me back',
  fields: [
    { name: 'name', label: 'Name', kind: 'text', required: true, max_length: 80 },
    { name: 'email', label: 'Email', kind: 'email', required: true },
    { name: 'phone', label: 'Phone', kind: 'phone' },
    { name: 'team_size', label: 'Team size', kind: 'number', min: 1, max: 500 },
    { name: 'plan', label: 'Plan', kind: 'select', options: [{ label: 'Starter', value: 'starter' }, { label: 'Pro', value: 'pro' }] },
  ],
};

const input = (el: ParleyForm, name: string) => $<HTMLInputElement>(el, `[name="${name}"]`);
const submit = (el: ParleyForm) => $<HTMLFormElement>(el, 'form').dispatchEvent(new Event('submit', { cancelable: true }));

describe('<parley-form>', () => {
  it('labels every field with the keyboard, autofill and rules it needs', async () => {
    const el = await mount<ParleyForm>('parley-form', { form });
    const labels = $$(el, '[part="label"]').map((l) => l.textContent!.replace(/\s+/g, ' ').trim());
    expect(labels).toEqual(['Name *', 'Email *', 'Phone', 'Team size', 'Plan']);
    expect(input(el, 'name').required).toBe(true);
    expect(input(el, 'name').getAttribute('autocomplete')).toBe('name');
    expect(input(el, 'name').getAttribute('maxlength')).toBe('80');
    expect(input(el, 'email').type).toBe('email');
    expect(input(el, 'email').getAttribute('autocomplete')).toBe('email');
    expect(input(el, 'phone').type).toBe('tel');
    expect(input(el, 'team_size').type).toBe('number');
    expect([input(el, 'team_size').getAttribute('min'), input(el, 'team_size').getAttribute('max')]).toEqual(['1', '500']);
    expect($$(el, 'select option').map((o) => o.textContent)).toEqual(['', 'Starter', 'Pro']);
    expect($(el, 'button').textContent!.trim()).toBe('Call me back');
    // Every input is named by its label.
    for (const field of $$(el, 'label')) expect(field.querySelector('input, select')?.id).toBe(field.getAttribute('for'));
  });

  it('sends the trimmed values once, with an escaped summary for the visitor bubble', async () => {
    const sent = record<ParleyFormEvent>('parley-form');
    const el = await mount<ParleyForm>('parley-form', { form });
    input(el, 'name').value = '  Zoe <b>Q</b> ';
    input(el, 'email').value = 'zoe@shop.test';
    input(el, 'team_size').value = '12';
    $<HTMLSelectElement>(el, 'select').value = 'pro';
    submit(el);
    await el.updateComplete;
    expect(sent).toHaveLength(1);
    expect(sent[0]!.form).toBe('ask');
    expect(sent[0]!.values).toEqual({ name: 'Zoe <b>Q</b>', email: 'zoe@shop.test', phone: '', team_size: '12', plan: 'pro' });
    expect(sent[0]!.shown).toEqual([
      { type: 'text', payload: { text: '<b>Name</b>: Zoe &#60;b&#62;Q&#60;/b&#62;<br><b>Email</b>: zoe@shop.test<br><b>Team size</b>: 12<br><b>Plan</b>: Pro' } },
    ]);
    expect(el.disabled).toBe(true);
    expect($<HTMLButtonElement>(el, 'button').disabled).toBe(true);
    submit(el);
    expect(sent).toHaveLength(1);
  });

  it('does not send while a required field is empty', async () => {
    const sent = record<ParleyFormEvent>('parley-form');
    const el = await mount<ParleyForm>('parley-form', { form });
    input(el, 'email').value = 'zoe@shop.test';
    submit(el);
    expect(sent).toHaveLength(0);
    expect(el.disabled).toBe(false);
  });

  it("shows the server's message on each wrong field and keeps the valid values", async () => {
    const back = {
      ...form,
      fields: form.fields.map((f) =>
        f.name === 'email' ? { ...f, error: 'Please enter a valid email address.' } : f.name === 'name' ? { ...f, value: 'Zoe' } : f.name === 'plan' ? { ...f, value: 'pro' } : f,
      ),
    };
    const el = await mount<ParleyForm>('parley-form', { form: back });
    expect(input(el, 'name').value).toBe('Zoe');
    expect($<HTMLSelectElement>(el, 'select').value).toBe('pro');
    const email = input(el, 'email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(input(el, 'name').getAttribute('aria-invalid')).toBe('false');
    const message = el.shadowRoot!.getElementById(email.getAttribute('aria-describedby')!);
    expect(message?.textContent).toBe('Please enter a valid email address.');
  });

  it('is read-only once the conversation moved on', async () => {
    const el = await mount<ParleyForm>('parley-form', { form, disabled: true });
    expect($$<HTMLInputElement>(el, 'input').every((i) => i.disabled)).toBe(true);
    expect($<HTMLButtonElement>(el, 'button').disabled).toBe(true);
  });
});
