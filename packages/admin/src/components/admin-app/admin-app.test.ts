import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NoteView, User } from '@parley/protocol';
import { until } from '../../../../server/test/support/until.js';
import { $, $$, mount } from '../../../test/dom.js';
import { fakeApi, notesAnswer, type FakeAnswer, type FakeCall } from '../../../test/fake-api.js';
import { chat, msg, note, user } from '../../../test/fixtures.js';
import { HandSocket } from '../../../test/hand-socket.js';
import { ParleyAdminApp } from './admin-app.component.js';
import './admin-app.js';

/*
 * The whole dashboard in happy-dom, with a fake REST API and a hand-driven agent socket, open on
 * a conversation: who is offered to delete it, what is sent, and what the screen shows after.
 */
const c1 = chat('c1', { status: 'waiting', queue_position: 1 });
const c2 = chat('c2');
let calls: FakeCall[];
/** The fake server's notes: a test changes them as a colleague would. */
let serverNotes: NoteView[];
const realConfirm = window.confirm;

/** A colleague's note on c1, written after the visitor's message. */
const vip = note('n1', 'Customer is a VIP', { author: { id: 'u-colleague', name: 'Cy' }, created_at: '2026-11-21T10:05:00.000Z' });

/**
 * Mounts the dashboard with `who` signed in (a saved session), the REST API answered by `answer`
 * (sign-in check and the inbox list are answered for it) and the agent socket accepted.
 */
async function signedIn(who: User, answer: (call: FakeCall, body: unknown) => FakeAnswer | undefined): Promise<ParleyAdminApp> {
  const api = fakeApi((call, body) => {
    if (call.path === '/api/auth/verify') return { body: { user: who, expires_at: '2099-01-01T00:00:00.000Z' } };
    if (call.method === 'GET' && call.path.startsWith('/api/chats?')) return { body: { chats: [c1, c2] } };
    return answer(call, body);
  });
  calls = api.calls;
  vi.stubGlobal('fetch', api.fetch);
  const saved = new Map([['parley.admin.session', JSON.stringify({ token: 'jwt', expires_at: '2099-01-01T00:00:00.000Z' })]]);
  const storage = { getItem: (k: string) => saved.get(k) ?? null, setItem: (k: string, v: string) => void saved.set(k, v), removeItem: (k: string) => void saved.delete(k) };
  ParleyAdminApp.options = { storage, socketUrl: 'ws://parley.test/ws/agent', WebSocket: HandSocket };
  const app = await mount('parley-admin-app');
  await until(() => HandSocket.made.length, 'the agent socket');
  HandSocket.last.accept();
  return app;
}

/** Signs `who` in (a saved session) and opens the dashboard on c1. */
async function dashboard(who: User): Promise<ParleyAdminApp> {
  HandSocket.reset();
  serverNotes = [vip];
  const notes = notesAnswer(who, serverNotes);
  const app = await signedIn(who, (call, body) => {
    const answered = notes(call, body);
    if (answered) return answered;
    if (call.method === 'GET' && call.path === '/api/chats/c1') return { body: { chat: c1, variables: {} } };
    if (call.method === 'GET' && call.path.startsWith('/api/messages/c1')) return { body: { conversation_id: 'c1', messages: [{ message: msg(1, 'user', 'Please delete my data'), read_at: null }] } };
    if (call.method === 'DELETE' && call.path === '/api/chats/c1') return { status: 204 };
    if (call.method === 'GET' && call.path === '/api/chats/c1/transcript') return { text: 'Conversation c1\n\n[2026-11-21 10:00:01] Visitor: Please delete my data\n' };
    return undefined;
  });
  await until(() => view(app)?.chat && view(app)!.messages.length, 'the conversation on screen');
  return app;
}

const view = (app: Element) => app.shadowRoot!.querySelector('parley-conversation-view');
const rows = (app: Element) => $$(app.shadowRoot!.querySelector('parley-chat-list')!, '[part="item"]').map((row) => row.textContent!.replace(/\s+/g, ' '));
const deleteButton = (app: Element) => $(view(app)!, '[data-action="delete"]');

beforeEach(() => (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL('http://parley.test/admin/inbox/c1'));
afterEach(() => {
  window.confirm = realConfirm;
  vi.unstubAllGlobals();
  ParleyAdminApp.options = {};
});

describe('parley-admin-app: deleting a conversation', () => {
  it('never offers an agent to delete a conversation', async () => {
    const app = await dashboard(user('agent'));
    expect(view(app)!.admin).toBe(false);
    expect(deleteButton(app)).toBeNull();
  });

  it('deletes the conversation once the admin confirms, then goes back to the inbox without it', async () => {
    const app = await dashboard(user('admin'));
    expect(rows(app).some((row) => row.includes('hello from c1'))).toBe(true);
    window.confirm = () => false;
    deleteButton(app)!.click();
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([]);

    window.confirm = () => true;
    deleteButton(app)!.click();
    await until(() => location.pathname === '/admin/inbox', 'back to the inbox');
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([{ method: 'DELETE', path: '/api/chats/c1', authorization: 'Bearer jwt' }]);
    await until(() => !view(app), 'the conversation closed');
    expect(app.shadowRoot!.querySelector('[part~="placeholder"]')).not.toBeNull();
    expect(rows(app).some((row) => row.includes('hello from c1'))).toBe(false);
    expect(rows(app).some((row) => row.includes('hello from c2'))).toBe(true);
  });

  it('shows why the server refused in the banner, and keeps the conversation open', async () => {
    const app = await dashboard(user('admin'));
    // Meanwhile an owner made this admin an agent again.
    vi.stubGlobal('fetch', fakeApi(() => ({ status: 403, body: { statusCode: 403, code: 'forbidden', error: 'Forbidden', message: 'Only admins can delete conversations.' } })).fetch);
    window.confirm = () => true;
    deleteButton(app)!.click();
    const banner = await until(() => app.shadowRoot!.querySelector('[part="banner"][role="alert"]'), 'the error banner');
    expect(banner.textContent).toContain('Only admins can delete conversations.');
    expect(location.pathname).toBe('/admin/inbox/c1');
    expect(view(app)!.chat?.id).toBe('c1');
  });

  it('closes the open conversation with a notice when someone else deletes it', async () => {
    const app = await dashboard(user('agent'));
    HandSocket.last.frame({ type: 'conversation_deleted', conversation_id: 'c1' });
    await until(() => view(app)?.shadowRoot?.textContent?.includes('This conversation was deleted.'), 'the notice');
    expect(view(app)!.shadowRoot!.querySelector('parley-composer')).toBeNull();
    expect(rows(app).some((row) => row.includes('hello from c1'))).toBe(false);
  });
});

describe('parley-admin-app: transcripts', () => {
  it('downloads the open conversation as a text file, for agents too', async () => {
    const app = await dashboard(user('agent'));
    const files: Array<{ name: string; blob: Blob }> = [];
    let blob: Blob | undefined;
    vi.spyOn(URL, 'createObjectURL').mockImplementation((b) => {
      blob = b as Blob;
      return 'blob:transcript';
    });
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      files.push({ name: this.download, blob: blob! });
    });
    $(view(app)!, '[data-action="transcript"]')!.click();
    await until(() => files.length, 'the download');
    expect(calls.filter((c) => c.path.endsWith('/transcript'))).toEqual([{ method: 'GET', path: '/api/chats/c1/transcript', authorization: 'Bearer jwt' }]);
    expect(files[0]!.name).toBe('conversation-c1.txt');
    expect(await files[0]!.blob.text()).toContain('Visitor: Please delete my data');
    vi.restoreAllMocks();
  });
});

describe('parley-admin-app: internal notes', () => {
  const cards = (app: Element) => $$(view(app)!, 'parley-note-card');
  const cardTexts = (app: Element) => cards(app).map((card) => card.shadowRoot!.querySelector('[part="text"]')!.textContent);
  const composer = (app: Element) => $(view(app)!, 'parley-composer') as HTMLElement & { mode: string };

  it('shows the notes with the conversation; n and Enter add one over the notes route, with no reply, typing or claim', async () => {
    const app = await dashboard(user('agent'));
    await until(() => cards(app).length === 1, "the colleague's note");
    expect(cardTexts(app)).toEqual(['Customer is a VIP']);

    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', bubbles: true, cancelable: true }));
    await until(() => composer(app).mode === 'note', 'Note mode');
    const box = $(composer(app), 'textarea') as HTMLTextAreaElement;
    await until(() => composer(app).shadowRoot!.activeElement === box, 'the cursor in the box');
    box.value = 'Refund approved by Sam';
    box.dispatchEvent(new Event('input'));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    await until(() => cards(app).length === 2, 'the new note on screen');

    expect(cardTexts(app)).toEqual(['Customer is a VIP', 'Refund approved by Sam']);
    const writes = calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`);
    expect(writes).toEqual(['POST /api/chats/c1/notes']);
    const sent = HandSocket.last.sent.map((frame) => JSON.parse(frame).type);
    expect(sent).not.toContain('reply');
    expect(sent).not.toContain('typing');
    expect(composer(app).mode).toBe('note');
  });

  it("adds a colleague's note live and removes a deleted one", async () => {
    const app = await dashboard(user('agent'));
    await until(() => cards(app).length === 1, "the colleague's note");
    const called = note('n9', 'Called them back', { author: { id: 'u-colleague', name: 'Cy' }, created_at: '2026-11-21T10:09:00.000Z' });
    serverNotes.push(called);
    HandSocket.last.frame({ type: 'note', conversation_id: 'c1', note: called });
    await until(() => cards(app).length === 2, 'the live note');
    expect(cardTexts(app)).toEqual(['Customer is a VIP', 'Called them back']);
    serverNotes.splice(0, 1);
    HandSocket.last.frame({ type: 'note_deleted', conversation_id: 'c1', note_id: 'n1' });
    await until(() => cards(app).length === 1, 'the deleted note gone');
    expect(cardTexts(app)).toEqual(['Called them back']);
  });

  it("shows an agent no Delete on a colleague's note; an admin deletes it, after confirming", async () => {
    const agentApp = await dashboard(user('agent'));
    await until(() => cards(agentApp).length === 1, "the colleague's note");
    expect($(cards(agentApp)[0]!, '[part="delete"]')).toBeNull();
    agentApp.remove();

    const app = await dashboard(user('admin'));
    await until(() => cards(app).length === 1, "the colleague's note");
    window.confirm = () => true;
    $(cards(app)[0]!, '[part="delete"]')!.click();
    await until(() => cards(app).length === 0, 'the note deleted');
    expect(calls.filter((c) => c.method === 'DELETE')).toEqual([{ method: 'DELETE', path: '/api/chats/c1/notes/n1', authorization: 'Bearer jwt' }]);
  });

  it('shows why a note was refused and puts its text back in the box, in Note mode', async () => {
    const app = await dashboard(user('agent'));
    vi.stubGlobal('fetch', fakeApi(() => ({ status: 500, body: { statusCode: 500, code: 'internal', error: 'Internal Server Error', message: 'Something went wrong' } })).fetch);
    (view(app) as HTMLElement).dispatchEvent(new CustomEvent('parley-note', { detail: { text: 'Refund approved by Sam' }, bubbles: true, composed: true }));
    const banner = await until(() => app.shadowRoot!.querySelector('[part="banner"][role="alert"]'), 'the error banner');
    expect(banner.textContent).toContain('Something went wrong');
    await until(() => composer(app).mode === 'note', 'Note mode');
    expect(($(composer(app), 'textarea') as HTMLTextAreaElement).value).toBe('Refund approved by Sam');
  });
});

describe('parley-admin-app: the Companies screen', () => {
  /** Signs `who` in and opens the dashboard at /admin/companies; the server lists companies for the owner only. */
  async function companiesPage(who: User, path = '/admin/companies'): Promise<ParleyAdminApp> {
    HandSocket.reset();
    (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`http://parley.test${path}`);
    const app = await signedIn(who, (call) => (call.path === '/api/companies' && who.role === 'owner' ? { body: { companies: [] } } : undefined));
    await until(() => app.shadowRoot!.querySelector('parley-nav-bar'), 'the navigation');
    return app;
  }
  const nav = (app: Element) => app.shadowRoot!.querySelector('parley-nav-bar')!;

  it('shows the owner Companies in the navigation and on its address; an admin and an agent get neither, only their inbox', async () => {
    const owner = await companiesPage(user('owner'));
    await until(() => owner.shadowRoot!.querySelector('parley-companies-view'), 'the Companies screen');
    expect($(nav(owner), '[data-screen="companies"]')!.getAttribute('aria-current')).toBe('page');
    await until(() => calls.some((c) => c.path === '/api/companies'), 'the companies asked for');
    owner.remove();

    for (const role of ['admin', 'agent'] as const) {
      const app = await companiesPage(user(role));
      await until(() => rows(app).length === 2, 'the inbox');
      expect(app.shadowRoot!.querySelector('parley-companies-view')).toBeNull();
      expect($(nav(app), '[data-screen="companies"]')).toBeNull();
      expect(calls.filter((c) => c.path === '/api/companies')).toEqual([]);
      app.remove();
    }
  });

  it("gives an agent who types an admin screen's address their inbox instead", async () => {
    for (const [path, element] of [
      ['/admin/settings', 'parley-settings-view'],
      ['/admin/webhooks', 'parley-webhooks-view'],
      ['/admin/articles', 'parley-articles-view'],
      ['/admin/ai', 'parley-ai-view'],
      ['/admin/agents', 'parley-agents-view'],
    ] as const) {
      const app = await companiesPage(user('agent'), path);
      await until(() => rows(app).length === 2, `the inbox at ${path}`);
      expect(app.shadowRoot!.querySelector(element), path).toBeNull();
      app.remove();
    }
    const admin = await companiesPage(user('admin'), '/admin/settings');
    await until(() => admin.shadowRoot!.querySelector('parley-settings-view'), 'Settings for an admin');
    admin.remove();
  });
});
