import { afterEach, describe, expect, it } from 'vitest';
import type { CompanyView } from '@parley/protocol';
import { until } from '../../../../server/test/support/until.js';
import { ApiClient } from '../../api/http.js';
import { SavedRepliesStore } from '../../store/saved-replies-store.js';
import { $, $$, mount } from '../../../test/dom.js';
import { fakeApi, savedRepliesAnswer, savedReply, type FakeCall } from '../../../test/fake-api.js';
import type { ParleySettingsView } from '../settings-view/settings-view.js';
import '../settings-view/settings-view.js';

/*
 * The Saved replies section of Settings in happy-dom, against a fake API that keeps the replies
 * in memory: what an admin sees and changes, what is sent, and that agents never see it.
 */
const company: CompanyView = { id: 'co1', name: 'Acme', site_key: 'site_abc', allowed_origins: [], has_api_key: false, is_default: true, created_at: '2026-11-01T09:00:00.000Z' };
const realConfirm = window.confirm;
afterEach(() => (window.confirm = realConfirm));

/** Settings as `admin` (or not) sees it, with one saved reply on the server. */
async function settings(admin: boolean): Promise<{ view: ParleySettingsView; store: SavedRepliesStore; calls: FakeCall[] }> {
  const replies = savedRepliesAnswer([savedReply('hello', 'Hi! How can I help you today?')]);
  const api = fakeApi((call, body) => (call.path === '/api/company' ? { body: { company } } : call.path === '/api/identity' ? { body: { secret: 'is_x', enforce: false } } : replies(call, body)));
  const client = new ApiClient({ token: () => 'jwt', fetch: api.fetch });
  const store = new SavedRepliesStore(client);
  const view = await mount('parley-settings-view', { api: client, admin, savedReplies: store });
  await until(() => $(view, '[part="snippet"]'), 'the settings');
  return { view, store, calls: api.calls };
}

const section = (view: Element) => view.shadowRoot!.querySelector('parley-saved-replies-settings');
const rows = (view: Element) => $$(section(view)!, '[part="reply"]').map((row) => row.textContent!.replace(/\s+/g, ' ').trim());
const changes = (calls: FakeCall[]) => calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`);

/** Fills a saved-reply form and submits it. */
function submit(form: HTMLElement, fields: { shortcut?: string; text?: string }): void {
  if (fields.shortcut !== undefined) (form.querySelector('[name="shortcut"]') as HTMLInputElement).value = fields.shortcut;
  if (fields.text !== undefined) (form.querySelector('[name="text"]') as HTMLTextAreaElement).value = fields.text;
  form.dispatchEvent(new Event('submit', { cancelable: true }));
}

describe('saved replies in Settings', () => {
  it('lets an admin add a reply, shows why the server refuses a taken shortcut, and the composer’s store has it at once', async () => {
    const { view, store, calls } = await settings(true);
    const el = (await until(() => section(view), 'the saved replies section'))!;
    await until(() => rows(view).length, 'the list');
    expect(rows(view)).toEqual(['/hello Hi! How can I help you today? Edit Delete']);

    submit($(el, '[part="add"]')!, { shortcut: '/refund', text: '  Refunds take 5 days.  ' });
    await until(() => rows(view).length === 2, 'the new reply');
    expect(rows(view)[1]).toContain('/refund Refunds take 5 days.');
    expect($(el, '[role="status"]')!.textContent).toBe('Saved reply /refund added.');
    expect(($(el, '[part="add"] [name="shortcut"]') as HTMLInputElement).value).toBe('');
    expect(store.replies.map((r) => r.shortcut)).toEqual(['hello', 'refund']);

    submit($(el, '[part="add"]')!, { shortcut: 'hello', text: 'Again' });
    const alert = await until(() => $(el, '[role="alert"]'), 'the refusal');
    expect(alert.textContent).toBe('The shortcut /hello is already used.');
    expect(rows(view)).toHaveLength(2);
    expect(changes(calls)).toEqual(['POST /api/saved-replies', 'POST /api/saved-replies']);
  });

  it('lets an admin edit a reply in place, sending only what changed', async () => {
    const { view, store, calls } = await settings(true);
    const el = (await until(() => section(view), 'the saved replies section'))!;
    await until(() => rows(view).length, 'the list');
    $(el, '[data-shortcut="hello"] [data-action="edit"]')!.click();
    const form = await until(() => $(el, '[part="edit"]'), 'the edit form');
    expect((form.querySelector('[name="text"]') as HTMLTextAreaElement).value).toBe('Hi! How can I help you today?');

    submit(form, { text: 'Hello! What can I do for you?' });
    await until(() => !$(el, '[part="edit"]'), 'the edit form closed');
    expect(rows(view)).toEqual(['/hello Hello! What can I do for you? Edit Delete']);
    expect(store.replies[0]!.text).toBe('Hello! What can I do for you?');
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.path).toBe('/api/saved-replies/sr-hello');

    $(el, '[data-action="edit"]')!.click();
    await el.updateComplete;
    $(el, '[data-action="cancel"]')!.click();
    await el.updateComplete;
    expect($(el, '[part="edit"]')).toBeNull();
    expect(changes(calls)).toEqual(['PATCH /api/saved-replies/sr-hello']);
  });

  it('deletes a reply only after the admin confirms', async () => {
    const { view, store, calls } = await settings(true);
    const el = (await until(() => section(view), 'the saved replies section'))!;
    await until(() => rows(view).length, 'the list');
    const asked: string[] = [];
    window.confirm = (question) => (asked.push(String(question)), false);
    $(el, '[data-action="delete"]')!.click();
    expect(changes(calls)).toEqual([]);

    window.confirm = (question) => (asked.push(String(question)), true);
    $(el, '[data-action="delete"]')!.click();
    await until(() => !rows(view).length, 'the reply gone');
    expect(asked).toEqual(['Delete the saved reply /hello? Agents can no longer insert it.', 'Delete the saved reply /hello? Agents can no longer insert it.']);
    expect(changes(calls)).toEqual(['DELETE /api/saved-replies/sr-hello']);
    expect(store.replies).toEqual([]);
    expect($(el, '[role="status"]')!.textContent).toBe('Saved reply /hello deleted.');
    expect(el.shadowRoot!.textContent).toContain('No saved replies yet.');
  });

  it('is not shown to agents, who do not load the replies here either', async () => {
    const { view, calls } = await settings(false);
    expect(section(view)).toBeNull();
    expect(calls.some((c) => c.path.startsWith('/api/saved-replies'))).toBe(false);
  });
});
