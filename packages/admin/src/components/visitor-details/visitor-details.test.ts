import { describe, expect, it } from 'vitest';
import { $, mount, text } from '../../../test/dom.js';
import { chat } from '../../../test/fixtures.js';
import './visitor-details.js';

describe('parley-visitor-details', () => {
  it('shows presence, IP, browser, last seen, lead data and what the bot collected', async () => {
    const el = await mount('parley-visitor-details', {
      chat: chat('c1', {
        visitor: {
          ip: '198.51.100.7',
          user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
          last_seen_at: '2026-11-21T10:00:00.000Z',
          online: true,
        },
        lead: { name: 'Dana', phone: '+15550100', vip: true },
      }),
      variables: { order_id: 'A-1234', _internal: 'hidden' },
    });
    expect($(el, '[part="presence"]')!.textContent).toContain('Online');
    const all = text(el);
    expect(all).toContain('198.51.100.7');
    expect(all).toContain('Chrome 131 on macOS');
    expect(all).toContain('+15550100');
    expect(all).toContain('A-1234');
    expect(all).not.toContain('hidden');
  });

  it('shows who the site says the visitor is, and whether it proved it', async () => {
    const identity = { user_id: 'cust-42', name: 'Ada', email: 'ada@example.com', verified: false, identified_at: '2026-11-21T10:00:00.000Z' };
    const el = await mount('parley-visitor-details', {
      chat: chat('c1', { visitor: { ip: null, user_agent: null, last_seen_at: null, online: true, identity } as never }),
    });
    expect($(el, '[part="identity"]')!.textContent).toContain('cust-42');
    expect($(el, '[part="verified"]')!.textContent).toContain('Not verified');
  });

  it('shows the page attributes the site set, apart from what the bot collected', async () => {
    const el = await mount('parley-visitor-details', { chat: chat('c1'), variables: { name: 'Ada' }, pageAttributes: { plan: 'pro', cart_total: 42 } });
    const attributes = $(el, '[part="attributes"]')!.textContent!;
    expect(attributes).toContain('plan');
    expect(attributes).toContain('pro');
    expect(attributes).toContain('cart total');
    expect(attributes).toContain('42');
    expect($(el, '[part="variables"]')!.textContent).not.toContain('pro');
  });

  it('says when there is no lead yet and when the visitor left', async () => {
    const el = await mount('parley-visitor-details', { chat: chat('c1') });
    expect(text(el)).toContain('No lead data yet.');
    expect($(el, '[part="presence"]')!.textContent).toContain('Offline');
  });
});
