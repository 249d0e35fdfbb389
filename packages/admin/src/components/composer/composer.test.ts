import { describe, expect, it } from 'vitest';
import { $, mount, record } from '../../../test/dom.js';
import './composer.js';

function type(box: HTMLTextAreaElement, value: string): void {
  box.value = value;
  box.dispatchEvent(new Event('input'));
}

function key(box: HTMLTextAreaElement, init: KeyboardEventInit): void {
  box.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
}

describe('parley-composer', () => {
  it('sends on Enter, keeps Shift+Enter for new lines, and never sends blank text', async () => {
    const el = await mount('parley-composer', { conversationId: 'c1' });
    const replies = record<{ text: string }>(el, 'parley-reply');
    const box = $(el, 'textarea') as HTMLTextAreaElement;
    type(box, '   ');
    key(box, { key: 'Enter' });
    type(box, '  Hello there ');
    key(box, { key: 'Enter', shiftKey: true });
    expect(replies).toEqual([]);
    key(box, { key: 'Enter' });
    expect(replies).toEqual([{ text: 'Hello there' }]);
    await el.updateComplete;
    expect(box.value).toBe('');
  });

  it('reports typing once when it starts and once when the agent pauses or sends', async () => {
    const el = await mount('parley-composer', { conversationId: 'c1', idleMs: 40 });
    const typing = record<{ on: boolean }>(el, 'parley-typing');
    const box = $(el, 'textarea') as HTMLTextAreaElement;
    type(box, 'H');
    type(box, 'He');
    type(box, 'Hel');
    expect(typing).toEqual([{ on: true }]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(typing).toEqual([{ on: true }, { on: false }]);
    type(box, 'Hello');
    key(box, { key: 'Enter' });
    expect(typing).toEqual([{ on: true }, { on: false }, { on: true }, { on: false }]);
  });

  it('stops typing in the old conversation when the agent switches to another', async () => {
    const el = await mount('parley-composer', { conversationId: 'c1' });
    const typing = record<{ on: boolean }>(el, 'parley-typing');
    type($(el, 'textarea') as HTMLTextAreaElement, 'draft');
    el.conversationId = 'c2';
    await el.updateComplete;
    expect(typing).toEqual([{ on: true }, { on: false }]);
    expect(($(el, 'textarea') as HTMLTextAreaElement).value).toBe('');
  });

  it('sends nothing while disabled', async () => {
    const el = await mount('parley-composer', { disabled: true });
    const replies = record(el, 'parley-reply');
    const box = $(el, 'textarea') as HTMLTextAreaElement;
    type(box, 'hi');
    key(box, { key: 'Enter' });
    expect(replies).toEqual([]);
  });
});
