import { beforeAll, describe, expect, inject, it } from 'vitest';
import { SessionStore } from '../src/store/session-store.js';
import { $, $$, mount, record, settle, text } from './dom.js';
import { MemoryStorage, OWNER, until } from './server.js';
import { RawVisitor } from './visitor.js';
import '../src/components/settings-view/settings-view.js';
import '../src/components/agents-view/agents-view.js';
import '../src/components/leads-view/leads-view.js';
import '../src/components/search-view/search-view.js';
import '../src/components/account-view/account-view.js';
import '../src/components/ai-view/ai-view.js';

/*
 * The admin screens in happy-dom against a real server (started by the global setup, in plain
 * Node): the page is put on the server's origin, so every call is same-origin, as in the browser.
 */
const server = { url: inject('serverUrl'), wsUrl: inject('serverUrl').replace(/^http/, 'ws') };
let session: SessionStore;

beforeAll(async () => {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${server.url}/admin/`);
  session = new SessionStore({ baseUrl: server.url, storage: new MemoryStorage() });
  expect(await session.login(OWNER.email, OWNER.password)).toBe(true);
});

/** Waits until the element's shadow tree matches. */
const shows = (element: Element, selector: string, what = selector) => until(() => $(element, selector), what);

describe('company settings', () => {
  it('shows the embed code with the site key, and a new API key exactly once', async () => {
    const view = await mount('parley-settings-view', { api: session.api, origin: 'https://chat.example' });
    const snippet = await shows(view, '[part="snippet"]');
    const { company } = await session.api.company();
    expect(snippet.textContent).toBe(`<script src="https://chat.example/widget.js" data-site="${company.site_key}" async></script>`);

    window.confirm = () => true;
    $(view, '[data-action="rotate-api"]')!.click();
    const key = (await shows(view, '[data-api-key]', 'the new API key')).textContent!;
    expect(key.length).toBeGreaterThan(16);
    expect((await session.api.company()).company.has_api_key).toBe(true);

    view.remove();
    const again = await mount('parley-settings-view', { api: session.api });
    await shows(again, '[part="snippet"]');
    expect($(again, '[data-api-key]')).toBeNull();
    expect(text(again)).not.toContain(key);
  });

  it('saves allowed origins typed one per line', async () => {
    const view = await mount('parley-settings-view', { api: session.api });
    await shows(view, 'textarea[name="origins"]');
    ($(view, 'textarea[name="origins"]') as HTMLTextAreaElement).value = 'https://shop.example/\nhttps://www.shop.example';
    $(view, 'form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    await until(async () => (await session.api.company()).company.allowed_origins.length === 2, 'origins saved');
    expect((await session.api.company()).company.allowed_origins).toEqual(['https://shop.example', 'https://www.shop.example']);
  });
});

describe('agents', () => {
  it('adds an agent who can then sign in, and disables them so they cannot', async () => {
    const view = await mount('parley-agents-view', { api: session.api, me: session.user!.id });
    await shows(view, `[data-email="${OWNER.email}"]`);
    const form = $(view, 'form[part="add"]') as HTMLFormElement;
    (form.querySelector('[name="name"]') as HTMLInputElement).value = 'Bo Agent';
    (form.querySelector('[name="email"]') as HTMLInputElement).value = 'bo@parley.test';
    (form.querySelector('[name="password"]') as HTMLInputElement).value = 'bo-password-1';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    const row = await shows(view, '[data-email="bo@parley.test"]', 'the new agent listed');
    expect(row.textContent).toContain('agent');
    const bo = new SessionStore({ baseUrl: server.url, storage: new MemoryStorage() });
    expect(await bo.login('bo@parley.test', 'bo-password-1')).toBe(true);
    expect(bo.isAdmin).toBe(false);

    row.querySelector<HTMLButtonElement>('[data-action="toggle"]')!.click();
    await until(() => $(view, '[data-email="bo@parley.test"]')?.classList.contains('disabled'), 'shown disabled');
    expect(await new SessionStore({ baseUrl: server.url, storage: new MemoryStorage() }).login('bo@parley.test', 'bo-password-1')).toBe(false);
    // The owner cannot disable themselves from here.
    expect($(view, `[data-email="${OWNER.email}"] [data-action="toggle"]`)).toBeNull();
  });
});

describe('your account', () => {
  it('renames you for visitors and changes your password, refusing two different ones', async () => {
    const admin = session.api;
    const { user } = await admin.createUser({ email: 'dee@parley.test', name: 'Dee', password: 'dee-password-1', role: 'agent' });
    const dee = new SessionStore({ baseUrl: server.url, storage: new MemoryStorage() });
    expect(await dee.login(user.email, 'dee-password-1')).toBe(true);
    const view = await mount('parley-account-view', { api: dee.api, user: dee.user });
    const changes = record<{ user: { name: string } }>(view, 'parley-user-change');

    const profile = $(view, 'form[part="profile"]') as HTMLFormElement;
    (profile.querySelector('[name="name"]') as HTMLInputElement).value = 'Dee Dee';
    profile.dispatchEvent(new Event('submit', { cancelable: true }));
    await until(() => changes.length === 1, 'name saved');
    expect(changes[0]!.user.name).toBe('Dee Dee');
    expect((await dee.api.verify()).user.name).toBe('Dee Dee');

    const password = $(view, 'form[part="password"]') as HTMLFormElement;
    (password.querySelector('[name="password"]') as HTMLInputElement).value = 'new-password-1';
    (password.querySelector('[name="confirm"]') as HTMLInputElement).value = 'new-password-2';
    password.dispatchEvent(new Event('submit', { cancelable: true }));
    await until(() => $(view, '.error'), 'mismatch refused');
    (password.querySelector('[name="confirm"]') as HTMLInputElement).value = 'new-password-1';
    password.dispatchEvent(new Event('submit', { cancelable: true }));
    await until(() => changes.length === 2, 'password saved');
    expect(await new SessionStore({ baseUrl: server.url, storage: new MemoryStorage() }).login(user.email, 'new-password-1')).toBe(true);
  });
});

describe('leads and search', () => {
  it('lists a lead the bot collected, exports it as CSV, and finds the conversation by its words', async () => {
    const visitor = await RawVisitor.connect(server.wsUrl);
    await visitor.turn('action', 'no');
    await visitor.turn('text', 'Dana Lead');
    await visitor.turn('text', 'dana@example.com');
    await visitor.turn('text', '+15550100');
    visitor.close();

    const view = await mount('parley-leads-view', { api: session.api });
    const row = await until(() => $$(view, 'tbody tr').find((tr) => tr.textContent!.includes('dana@example.com')), 'the lead row');
    expect(row.textContent).toContain('Dana Lead');

    // Browsers download a link with `download` without leaving the page; happy-dom would navigate.
    let exported: Blob | undefined;
    let saved = '';
    URL.createObjectURL = (blob: Blob) => ((exported = blob), 'blob:csv');
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      saved = this.download;
    };
    try {
      $(view, '[data-action="export"]')!.click();
      await until(() => exported && saved, 'CSV download');
    } finally {
      HTMLAnchorElement.prototype.click = click;
    }
    expect(saved).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await exported!.text();
    expect(csv.split('\n')[0]).toMatch(/email/);
    expect(csv).toContain('dana@example.com');

    const search = await mount('parley-search-view', { api: session.api });
    ($(search, 'input[name="q"]') as HTMLInputElement).value = 'dana@example.com';
    $(search, 'form')!.dispatchEvent(new Event('submit', { cancelable: true }));
    const hit = await shows(search, '[part="result"]', 'a search hit');
    await settle(search);
    expect(hit.querySelector('mark')).not.toBeNull();
    expect(hit.getAttribute('href')).toBe(`/admin/inbox/${encodeURIComponent(visitor.conversationId)}`);
  });
});

describe('AI settings', () => {
  it('saves a provider with a write-only key, and reports a test message the provider could not answer', async () => {
    const view = await mount('parley-ai-view', { api: session.api });
    const form = (await shows(view, 'form input[name="base_url"]')).closest('form') as HTMLFormElement;
    const field = (name: string) => form.querySelector(`[name="${name}"]`) as HTMLInputElement;
    field('enabled').checked = true;
    field('base_url').value = 'http://127.0.0.1:9/v1';
    field('model').value = 'llama3.1';
    field('api_key').value = 'sk-typed-once';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await until(async () => (await session.api.aiConfig()).api_key_set, 'settings saved');
    expect(await session.api.aiConfig()).toMatchObject({ enabled: true, base_url: 'http://127.0.0.1:9/v1', model: 'llama3.1', api_key_set: true, source: 'saved' });
    await until(() => field('api_key').value === '' && text(view).includes('AI settings saved.'), 'the key field emptied');
    expect(text(view)).not.toContain('sk-typed-once');
    expect(field('api_key').placeholder).toContain('A key is set');

    const test = [...$$(view, 'form')].at(-1) as HTMLFormElement;
    (test.querySelector('[name="message"]') as HTMLInputElement).value = 'Ping?';
    test.dispatchEvent(new Event('submit', { cancelable: true }));
    const result = await shows(view, '[part="test-result"]', 'the test result');
    expect(result.textContent).toContain('Could not reach the AI provider at http://127.0.0.1:9/v1');

    window.confirm = () => true;
    $(view, '[data-action="remove-key"]')!.click();
    await until(async () => !(await session.api.aiConfig()).api_key_set, 'key removed');
    await session.api.updateAiConfig({ enabled: false });
  });
});
