import { describe, expect, it, vi } from 'vitest';
import { Typing } from '@parley/protocol';
import { until } from '../../../../server/test/support/until.js';
import { ApiClient } from '../../api/http.js';
import { SavedRepliesStore } from '../../store/saved-replies-store.js';
import { $, $$, mount, record } from '../../../test/dom.js';
import { fakeApi, savedRepliesAnswer, savedReply, type FakeCall } from '../../../test/fake-api.js';
import { NOTE_PLACEHOLDER } from './composer.component.js';
import type { ParleyComposer } from './composer.js';
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

  it('says "typing" again every Typing.refreshMs while the agent goes on typing, so it does not expire', async () => {
    const el = await mount('parley-composer', { conversationId: 'c1' });
    const typing = record<{ on: boolean }>(el, 'parley-typing');
    const box = $(el, 'textarea') as HTMLTextAreaElement;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      // A key every 1.5 s: never idle (3 s), and said again once Typing.refreshMs has passed.
      let text = '';
      for (let at = 0; at < Typing.refreshMs; at += 1500) {
        type(box, (text += 'a'));
        vi.advanceTimersByTime(1500);
      }
      expect(typing).toEqual([{ on: true }]);
      type(box, (text += 'a'));
      expect(typing).toEqual([{ on: true }, { on: true }]);
    } finally {
      vi.useRealTimers();
    }
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

describe('parley-composer: saved replies after /', () => {
  const replies = [savedReply('hello', 'Hi! How can I help you today?'), savedReply('refund', 'Refunds reach your account within 5 days.'), savedReply('return', 'Send it back within 30 days.')];

  /** A composer offering `replies`, and the calls its store makes. */
  async function composer(): Promise<{ el: ParleyComposer; box: HTMLTextAreaElement; calls: FakeCall[]; sent: Array<{ text: string }> }> {
    const api = fakeApi(savedRepliesAnswer(replies));
    const store = new SavedRepliesStore(new ApiClient({ token: () => 'jwt', fetch: api.fetch }));
    const el = await mount('parley-composer', { conversationId: 'c1', savedReplies: store });
    return { el, box: $(el, 'textarea') as HTMLTextAreaElement, calls: api.calls, sent: record<{ text: string }>(el, 'parley-reply') };
  }
  const offered = (el: Element) => $$(el, '[role="option"]').map((o) => o.dataset.shortcut);
  const listbox = (el: Element) => $(el, '[role="listbox"]')!;
  const chosen = (el: Element) => $(el, '[role="option"][aria-selected="true"]')?.dataset.shortcut;

  it('loads the replies the first time / is typed, and offers those whose shortcut starts with what follows, else whose text contains it', async () => {
    const { el, box, calls } = await composer();
    type(box, 'Hello');
    await el.updateComplete;
    expect(calls).toEqual([]);
    expect(listbox(el).hidden).toBe(true);
    expect(box.getAttribute('aria-expanded')).toBe('false');

    type(box, '/');
    await until(() => offered(el).length, 'the saved replies');
    expect(offered(el)).toEqual(['hello', 'refund', 'return']);
    expect(listbox(el).hidden).toBe(false);
    expect(box.getAttribute('role')).toBe('combobox');
    expect(box.getAttribute('aria-expanded')).toBe('true');
    expect(box.getAttribute('aria-controls')).toBe(listbox(el).id);
    expect(box.getAttribute('aria-activedescendant')).toBe($(el, '[role="option"][aria-selected="true"]')!.id);

    type(box, '/re');
    await el.updateComplete;
    expect(offered(el)).toEqual(['refund', 'return']);
    type(box, '/days');
    await el.updateComplete;
    expect(offered(el)).toEqual(['refund', 'return']);
    type(box, '/zzz');
    await el.updateComplete;
    expect(listbox(el).hidden).toBe(true);
    expect(box.getAttribute('aria-expanded')).toBe('false');
    expect(box.hasAttribute('aria-activedescendant')).toBe(false);
    type(box, '/ref please');
    await el.updateComplete;
    expect(listbox(el).hidden).toBe(true);

    type(box, '/');
    await el.updateComplete;
    expect(offered(el)).toHaveLength(3);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/saved-replies']);
  });

  it('moves with ↑ and ↓, and Enter puts the chosen reply in the box instead of sending; the next Enter sends it', async () => {
    const { el, box, sent } = await composer();
    type(box, '/re');
    await until(() => offered(el).length, 'the saved replies');
    expect(chosen(el)).toBe('refund');
    key(box, { key: 'ArrowDown' });
    await el.updateComplete;
    expect(chosen(el)).toBe('return');
    key(box, { key: 'ArrowDown' });
    await el.updateComplete;
    expect(chosen(el)).toBe('refund');
    key(box, { key: 'ArrowUp' });
    await el.updateComplete;
    expect(chosen(el)).toBe('return');
    expect(box.getAttribute('aria-activedescendant')).toBe($(el, '[data-shortcut="return"]')!.id);

    key(box, { key: 'Enter' });
    await el.updateComplete;
    expect(sent).toEqual([]);
    expect(box.value).toBe('Send it back within 30 days.');
    expect(listbox(el).hidden).toBe(true);

    key(box, { key: 'Enter' });
    expect(sent).toEqual([{ text: 'Send it back within 30 days.' }]);
  });

  it('inserts with Tab or a click too, and Esc closes the list so Enter sends the draft as typed', async () => {
    const { el, box, sent } = await composer();
    type(box, '/h');
    await until(() => offered(el).length, 'the saved replies');
    key(box, { key: 'Tab' });
    await el.updateComplete;
    expect(box.value).toBe('Hi! How can I help you today?');

    type(box, '/');
    await el.updateComplete;
    $(el, '[data-shortcut="refund"]')!.click();
    await el.updateComplete;
    expect(box.value).toBe('Refunds reach your account within 5 days.');
    expect(sent).toEqual([]);

    type(box, '/r');
    await el.updateComplete;
    expect(listbox(el).hidden).toBe(false);
    key(box, { key: 'Escape' });
    await el.updateComplete;
    expect(listbox(el).hidden).toBe(true);
    key(box, { key: 'Enter' });
    expect(sent).toEqual([{ text: '/r' }]);
  });

  it('sends on Enter as before once the list is closed: a sentence after a slash, or an ordinary message', async () => {
    const { el, box, sent, calls } = await composer();
    type(box, '/re');
    await until(() => offered(el).length, 'the saved replies');
    type(box, '/re is our returns page');
    await el.updateComplete;
    expect(listbox(el).hidden).toBe(true);
    key(box, { key: 'ArrowDown' });
    key(box, { key: 'Enter' });
    type(box, 'Thanks for waiting');
    key(box, { key: 'Enter' });
    expect(sent).toEqual([{ text: '/re is our returns page' }, { text: 'Thanks for waiting' }]);
    expect(calls).toHaveLength(1);
  });
});

describe('parley-composer: Reply | Note', () => {
  const radio = (el: Element, mode: string) => $(el, `[part="mode"][data-mode="${mode}"] input`) as HTMLInputElement;
  /** Picks a mode as the keyboard does (arrow keys check a radio without a pointer click). */
  async function pick(el: ParleyComposer, mode: 'reply' | 'note'): Promise<void> {
    const input = radio(el, mode);
    input.checked = true;
    input.dispatchEvent(new Event('change'));
    await el.updateComplete;
  }

  it('is a radio group, Reply first and chosen; Note mode changes the box, its placeholder and the button', async () => {
    const el = await mount('parley-composer', { conversationId: 'c1', placeholder: 'Write a reply…' });
    const group = $(el, '[part="modes"]')!;
    expect(group.getAttribute('role')).toBe('radiogroup');
    expect($$(el, '[part="mode"] input[type="radio"]').map((r) => (r as HTMLInputElement).value)).toEqual(['reply', 'note']);
    expect(radio(el, 'reply').checked).toBe(true);
    const box = $(el, 'textarea') as HTMLTextAreaElement;
    expect(box.placeholder).toBe('Write a reply…');
    expect($(el, '[part="send"]')!.textContent!.trim()).toBe('Send');

    await pick(el, 'note');
    expect(el.mode).toBe('note');
    expect(el.getAttribute('mode')).toBe('note');
    expect(box.placeholder).toBe(NOTE_PLACEHOLDER);
    expect(NOTE_PLACEHOLDER).toMatch(/visitor will not see/);
    expect(box.getAttribute('aria-label')).toBe('Internal note');
    expect($(el, '[part="send"]')!.textContent!.trim()).toBe('Add note');
    expect(group.textContent).toContain('Only agents see notes');
  });

  it('in Note mode, Enter adds a note and never a reply, reports no typing, and stays in Note mode', async () => {
    const el = await mount('parley-composer', { conversationId: 'c1' });
    const replies = record(el, 'parley-reply');
    const notes = record<{ text: string }>(el, 'parley-note');
    const typing = record(el, 'parley-typing');
    await pick(el, 'note');
    const box = $(el, 'textarea') as HTMLTextAreaElement;
    type(box, ' Customer is a VIP ');
    key(box, { key: 'Enter' });
    expect(notes).toEqual([{ text: 'Customer is a VIP' }]);
    expect(replies).toEqual([]);
    expect(typing).toEqual([]);
    await el.updateComplete;
    expect(box.value).toBe('');
    expect(el.mode).toBe('note');

    // Back in Reply mode the box works as before.
    await pick(el, 'reply');
    type(box, 'Hello');
    key(box, { key: 'Enter' });
    expect(replies).toEqual([{ text: 'Hello' }]);
    expect(notes).toHaveLength(1);
    expect(typing).toEqual([{ on: true }, { on: false }]);
  });

  it('stops the typing indicator when the agent switches a draft to Note mode', async () => {
    const el = await mount('parley-composer', { conversationId: 'c1' });
    const typing = record<{ on: boolean }>(el, 'parley-typing');
    const box = $(el, 'textarea') as HTMLTextAreaElement;
    type(box, 'They are a VI');
    await pick(el, 'note');
    type(box, 'They are a VIP');
    expect(typing).toEqual([{ on: true }, { on: false }]);
  });

  it('writes notes where replies are off, and opens no saved replies in Note mode', async () => {
    const api = fakeApi(savedRepliesAnswer([savedReply('hello', 'Hi!')]));
    const store = new SavedRepliesStore(new ApiClient({ token: () => 'jwt', fetch: api.fetch }));
    const el = await mount('parley-composer', { conversationId: 'c1', disabled: true, savedReplies: store });
    const notes = record<{ text: string }>(el, 'parley-note');
    const box = $(el, 'textarea') as HTMLTextAreaElement;
    expect(box.disabled).toBe(true);
    await pick(el, 'note');
    expect(box.disabled).toBe(false);
    type(box, '/hello');
    await el.updateComplete;
    expect(api.calls).toEqual([]);
    expect(($(el, '[role="listbox"]') as HTMLElement).hidden).toBe(true);
    expect(box.hasAttribute('role')).toBe(false);
    key(box, { key: 'Enter' });
    expect(notes).toEqual([{ text: '/hello' }]);
  });

  it('goes back to Reply when the agent opens another conversation, and gets a refused note back', async () => {
    const el = await mount('parley-composer', { conversationId: 'c1' });
    await pick(el, 'note');
    el.conversationId = 'c2';
    await el.updateComplete;
    expect(el.mode).toBe('reply');
    expect(radio(el, 'reply').checked).toBe(true);

    el.restoreNote('Refund approved by Sam');
    await el.updateComplete;
    expect(el.mode).toBe('note');
    expect(($(el, 'textarea') as HTMLTextAreaElement).value).toBe('Refund approved by Sam');
  });
});
