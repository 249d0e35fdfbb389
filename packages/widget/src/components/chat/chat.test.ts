import { afterEach, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { $, $$, mount, record, until } from '../../../test/dom.js';
import { ParleyClient, type WebSocketConstructor } from '../../client/index.js';
import { linkHostOf } from '../../client/parley-client.js';
import type { ParleyChatEvent } from '../../events/parley-chat-event.js';
import { ParleyFormEvent } from '../../events/parley-form.js';
import '../../index.js';
import type { ParleyChat } from './chat.component.js';
import { contrast, textOn } from './color.js';

afterEach(() => {
  for (const chat of document.querySelectorAll('parley-chat')) chat.remove();
  localStorage.clear();
});

/** A widget on the real test server, with `ws` as its WebSocket (happy-dom has none of its own that reaches Node). */
async function widget(props: Partial<ParleyChat> = {}): Promise<ParleyChat> {
  const chat = document.createElement('parley-chat');
  chat.client = new ParleyClient({ server: inject('serverUrl'), WebSocket: WebSocket as unknown as WebSocketConstructor, storage: localStorage });
  Object.assign(chat, props);
  document.body.append(chat);
  await chat.updateComplete;
  return chat;
}

const launcher = (chat: ParleyChat) => $<HTMLButtonElement>(chat, '[part=launcher]');

describe('<parley-chat>', () => {
  it('has no launcher with launcher="none", takes prefilled text, and reflects agent availability once connected', async () => {
    const ready = record<ParleyChatEvent>('parley-ready');
    const availability = record<ParleyChatEvent<'availability'>>('parley-availability');
    const chat = await widget({ launcher: 'none' });
    expect(ready).toHaveLength(1);
    expect($$(chat, '[part=launcher]')).toHaveLength(0);
    expect(chat.getAttribute('availability')).toBe(null);
    await chat.prefill('Is the lamp in stock?');
    const composer = $(chat, 'parley-composer') as HTMLElement & { updateComplete: Promise<unknown> };
    await composer.updateComplete;
    const input = $<HTMLInputElement>(composer, 'input');
    expect(input.value).toBe('Is the lamp in stock?');
    expect(chat.client!.connection).toBe('idle');

    chat.show();
    await until(() => chat.getAttribute('availability') === 'offline', 'availability');
    expect(availability.map((e) => e.detail)).toEqual(['offline']);
  });

  it('opens no connection and stores nothing until the visitor opens it, then shows the greeting', async () => {
    const opened = record<ParleyChatEvent>('parley-open');
    const chat = await widget();
    expect($(chat, '[part=panel]').hidden).toBe(true);
    expect(chat.client!.connection).toBe('idle');
    expect(localStorage.length).toBe(0);
    expect(launcher(chat).getAttribute('aria-expanded')).toBe('false');

    launcher(chat).click();
    await chat.updateComplete;
    expect($(chat, '[part=panel]').hidden).toBe(false);
    expect(launcher(chat).getAttribute('aria-expanded')).toBe('true');
    expect(opened).toHaveLength(1);
    await until(() => chat.client!.messages.length === 1, 'greeting');
    await chat.updateComplete;
    expect($(chat, '[part=status]').textContent).toContain('Online');
    expect(localStorage.length).toBe(1);
    const thread = $(chat, 'parley-thread') as unknown as { updateComplete: Promise<unknown>; shadowRoot: ShadowRoot };
    await thread.updateComplete;
    expect(thread.shadowRoot.querySelectorAll('parley-message')).toHaveLength(1);
  });

  it('sends a submitted form through its client, and forwards the lead and identify events', async () => {
    const chat = await widget({ open: true });
    const sent: unknown[][] = [];
    chat.client!.sendForm = (...args: Parameters<ParleyClient['sendForm']>) => (sent.push(args), undefined as never);
    const shown = [{ type: 'text' as const, payload: { text: '<b>Email</b>: a@b.co' } }];
    $(chat, 'parley-thread').dispatchEvent(new ParleyFormEvent('ask', { email: 'a@b.co' }, shown));
    expect(sent).toEqual([['ask', { email: 'a@b.co' }, shown]]);

    const leads = record<ParleyChatEvent<'lead'>>('parley-lead');
    const identities = record<ParleyChatEvent<'identify'>>('parley-identify');
    linkHostOf(chat.client!).receive({ type: 'lead', id: 'l1', data: { email: 'a@b.co', plan: 'pro' } });
    chat.client!.identify({ id: '42' });
    linkHostOf(chat.client!).receive({ type: 'identity', user_id: '42', verified: false, error: 'The identity hash does not match' });
    expect(leads.map((e) => e.detail)).toEqual([{ id: 'l1', data: { email: 'a@b.co', plan: 'pro' }, email: 'a@b.co' }]);
    expect(identities.map((e) => e.detail)).toEqual([{ id: '42', verified: false, error: 'The identity hash does not match' }]);
  });

  it('closes on Escape and gives focus back to the launcher', async () => {
    const closed = record<ParleyChatEvent>('parley-close');
    const chat = await widget({ open: true });
    $(chat, '[part=panel]').dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await chat.updateComplete;
    expect(chat.open).toBe(false);
    expect(closed).toHaveLength(1);
    expect(chat.shadowRoot!.activeElement).toBe(launcher(chat));
  });

  it('counts replies that arrive while it is closed on the launcher badge', async () => {
    const unread = record<ParleyChatEvent<'unread'>>('parley-unread');
    const chat = await widget({ open: true });
    await until(() => chat.client!.messages.length === 1, 'greeting');
    chat.hide();
    await chat.updateComplete;
    chat.client!.sendAction('yes', 'Yes');
    await until(() => chat.client!.messages.length === 3, 'reply');
    await chat.updateComplete;
    expect($(chat, '[part=badge]').textContent).toBe('1');
    expect(unread.at(-1)!.detail).toBe(1);
    chat.show();
    await chat.updateComplete;
    expect($$(chat, '[part=badge]')).toHaveLength(0);
  });

  it('takes a brand color with a legible text color, a side, a theme and the language direction', async () => {
    const chat = await widget({ color: '#ffd400', position: 'left', theme: 'dark', locale: 'ar' });
    expect(chat.style.getPropertyValue('--parley-primary')).toBe('#ffd400');
    expect(chat.style.getPropertyValue('--parley-on-primary')).toBe('#111111');
    expect([chat.getAttribute('position'), chat.getAttribute('theme'), chat.dir, chat.lang]).toEqual(['left', 'dark', 'rtl', 'ar']);
  });

  it('renders inline without a launcher and connects at once', async () => {
    const chat = await widget({ mode: 'inline' });
    expect($$(chat, '[part=launcher]')).toHaveLength(0);
    expect($(chat, '[part=panel]').getAttribute('role')).toBe('region');
    await until(() => chat.client!.messages.length === 1, 'greeting');
  });
});

describe('text on the brand color', () => {
  it('keeps WCAG AA contrast for light and dark brand colors', () => {
    for (const color of ['#2563eb', '#0f766e', '#ffd400', '#ff6600', '#111827', '#e11d48']) {
      expect(contrast(color, textOn(color)!)).toBeGreaterThanOrEqual(3);
    }
    expect(contrast('#2563eb', '#ffffff')).toBeGreaterThanOrEqual(4.5);
  });
});
