import { describe, expect, it } from 'vitest';
import type { User } from '@parley/protocol';
import { $, $$, mount, record } from '../../../test/dom.js';
import './nav-bar.js';

const user = (role: User['role']): User => ({ id: 'u1', email: 'a@example.com', name: 'Ana', role, company_id: 'co', disabled: false, created_at: '' });

describe('parley-nav-bar', () => {
  it('shows agents, settings, AI, webhooks the bot, webhooks, articles and insights to admins only', async () => {
    const agent = await mount('parley-nav-bar', { user: user('agent') });
    expect($$(agent, '[part="link"]').map((a) => a.dataset.screen)).toEqual(['inbox', 'search', 'leads']);
    const admin = await mount('parley-nav-bar', { user: user('admin') });
    expect($$(admin, '[part="link"]').map((a) => a.dataset.screen)).toEqual(['inbox', 'search', 'leads', 'agents', 'settings', 'ai', 'bot', 'webhooks', 'articles', 'insights']);
  });

  it('shows Companies to the owner only', async () => {
    const owner = await mount('parley-nav-bar', { user: user('owner') });
    expect($$(owner, '[part="link"]').map((a) => a.dataset.screen)).toEqual(['inbox', 'search', 'leads', 'agents', 'settings', 'ai', 'bot', 'webhooks', 'articles', 'companies', 'insights']);
    expect($(owner, '[data-screen="companies"]')!.getAttribute('href')).toBe('/admin/companies');
  });

  it('shows the waiting count and whether the connection is live', async () => {
    const el = await mount('parley-nav-bar', { user: user('agent'), waiting: 3, connection: 'reconnecting' });
    expect($(el, '[part="badge"]')!.textContent).toBe('3');
    expect($(el, '[part="connection"]')!.textContent).toContain('Reconnecting');
    el.connection = 'open';
    await el.updateComplete;
    expect($(el, '[part="connection"]')!.textContent).toContain('Live');
  });

  it('reports navigation, theme switch and sign-out', async () => {
    const el = await mount('parley-nav-bar', { user: user('agent') });
    const go = record(el, 'parley-navigate');
    const out = record(el, 'parley-logout');
    const theme = record(el, 'parley-theme-toggle');
    $(el, '[data-screen="leads"]')!.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, button: 0 }));
    for (const button of $$(el, '[part="footer"] button')) button.click();
    expect(go).toEqual([{ screen: 'leads' }]);
    expect(out).toHaveLength(1);
    expect(theme).toHaveLength(1);
  });
});
