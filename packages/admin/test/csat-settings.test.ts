import { beforeAll, describe, expect, inject, it } from 'vitest';
import { SessionStore } from '../src/store/session-store.js';
import { $, mount } from './dom.js';
import { MemoryStorage, OWNER, until } from './server.js';
import '../src/components/csat-settings/csat-settings.js';

/* The CSAT settings form in happy-dom against the real server of the global setup. */
const server = { url: inject('serverUrl') };
let session: SessionStore;

beforeAll(async () => {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${server.url}/admin/`);
  session = new SessionStore({ baseUrl: server.url, storage: new MemoryStorage() });
  expect(await session.login(OWNER.email, OWNER.password)).toBe(true);
});

describe('CSAT settings', () => {
  it('shows the saved settings and saves a change', async () => {
    await session.api.saveCsatSettings({ enabled: false, scale: 'five', ask_after: 'agent' });
    const view = await mount('parley-csat-settings', { api: session.api });
    const form = (await until(() => $(view, 'form'), 'the form')) as HTMLFormElement;
    const enabled = $(view, '[name=enabled]') as HTMLInputElement;
    const scale = $(view, '[name=scale]') as HTMLSelectElement;
    const askAfter = $(view, '[name=ask_after]') as HTMLSelectElement;
    expect([enabled.checked, scale.value, askAfter.value]).toEqual([false, 'five', 'agent']);

    enabled.checked = true;
    scale.value = 'thumbs';
    askAfter.value = 'both';
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await until(() => $(view, '[role=status]')?.textContent === 'Saved.', 'saved');
    expect(await session.api.csatSettings()).toEqual({ enabled: true, scale: 'thumbs', ask_after: 'both' });
  });
});
