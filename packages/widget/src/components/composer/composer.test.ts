import { afterEach, describe, expect, it, vi } from 'vitest';
import { Typing } from '../../protocol.js';
import { $, mount, record } from '../../../test/dom.js';
import type { ParleySendEvent } from '../../events/parley-send.js';
import type { ParleyTypingEvent } from '../../events/parley-typing.js';
import './composer.js';
import type { ParleyComposer } from './composer.component.js';

afterEach(() => document.body.replaceChildren());

function type(el: ParleyComposer, text: string): HTMLInputElement {
  const input = $<HTMLInputElement>(el, 'input');
  input.value = text;
  input.dispatchEvent(new Event('input'));
  return input;
}

describe('<parley-composer>', () => {
  it('asks for a one-time code with the numeric keyboard and autofill from SMS', async () => {
    const el = await mount<ParleyComposer>('parley-composer', { hint: { kind: 'otp', placeholder: '6-digit code' } });
    const input = $<HTMLInputElement>(el, 'input');
    expect([input.getAttribute('inputmode'), input.getAttribute('autocomplete'), input.placeholder]).toEqual(['numeric', 'one-time-code', '6-digit code']);
    el.hint = { kind: 'email', placeholder: 'name@example.com' };
    await el.updateComplete;
    expect([input.type, input.getAttribute('autocomplete')]).toEqual(['email', 'email']);
  });

  it('sends the trimmed text on Enter, clears the field, and reports typing', async () => {
    const sent = record<ParleySendEvent>('parley-send');
    const typing = record<ParleyTypingEvent>('parley-typing');
    const el = await mount<ParleyComposer>('parley-composer');
    const input = type(el, '  hello  ');
    await el.updateComplete;
    expect($<HTMLButtonElement>(el, 'button').disabled).toBe(false);
    $<HTMLFormElement>(el, 'form').requestSubmit();
    await el.updateComplete;
    expect(sent.map((e) => e.text)).toEqual(['hello']);
    expect(input.value).toBe('');
    expect(typing.map((e) => e.on)).toEqual([true, false]);
  });

  it('says "typing" again every Typing.refreshMs while the visitor goes on typing', async () => {
    const typing = record<ParleyTypingEvent>('parley-typing');
    const el = await mount<ParleyComposer>('parley-composer');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      type(el, 'W');
      vi.advanceTimersByTime(Typing.refreshMs / 2);
      type(el, 'Wh');
      expect(typing.map((e) => e.on)).toEqual([true]);
      vi.advanceTimersByTime(Typing.refreshMs / 2);
      type(el, 'Whe');
      expect(typing.map((e) => e.on)).toEqual([true, true]);
      vi.advanceTimersByTime(3000);
      expect(typing.map((e) => e.on)).toEqual([true, true, false]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('does not send an empty message', async () => {
    const sent = record<ParleySendEvent>('parley-send');
    const el = await mount<ParleyComposer>('parley-composer');
    type(el, '   ');
    await el.updateComplete;
    $<HTMLFormElement>(el, 'form').requestSubmit();
    expect(sent).toHaveLength(0);
    expect($<HTMLButtonElement>(el, 'button').disabled).toBe(true);
  });
});
