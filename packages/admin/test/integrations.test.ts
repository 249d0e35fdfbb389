import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SessionStore } from '../src/store/session-store.js';
import { dayAfter } from '../src/components/leads-view/leads-view.component.js';
import { disabledNotice, outcome, previousSecretNote } from '../src/components/webhooks-view/webhooks-view.component.js';
import { dateTime } from '../src/lib/format.js';
import { $, $$, mount, settle, text } from './dom.js';
import { MemoryStorage, OWNER, until } from './server.js';
import { RawVisitor } from './visitor.js';
import '../src/components/leads-view/leads-view.js';
import '../src/components/webhooks-view/webhooks-view.js';
import '../src/components/identity-settings/identity-settings.js';

/*
 * The lead details, webhooks and identity screens in happy-dom against the real test server
 * (see screens.test.ts), with a webhook receiver on loopback.
 */
const server = { url: inject('serverUrl'), wsUrl: inject('serverUrl').replace(/^http/, 'ws') };
let session: SessionStore;

interface Hit {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
}
const hits: Hit[] = [];
const receiver = createServer((req, res) => {
  let raw = '';
  req.on('data', (chunk) => (raw += chunk));
  req.on('end', () => {
    hits.push({ headers: req.headers, raw });
    // `/down` is a receiver that fails.
    if (req.url === '/down') res.writeHead(500).end('down for maintenance');
    else res.writeHead(200).end('thanks');
  });
});

beforeAll(async () => {
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${server.url}/admin/`);
  session = new SessionStore({ baseUrl: server.url, storage: new MemoryStorage() });
  expect(await session.login(OWNER.email, OWNER.password)).toBe(true);
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  window.confirm = () => true;
});
afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

/** Captures a download the screen starts (happy-dom would navigate on the link's click). */
async function captureDownload(start: () => void): Promise<{ name: string; text: string }> {
  let blob: Blob | undefined;
  let name = '';
  URL.createObjectURL = (b: Blob) => ((blob = b), 'blob:x');
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    name = this.download;
  };
  try {
    start();
    await until(() => blob && name, 'a download');
  } finally {
    HTMLAnchorElement.prototype.click = click;
  }
  return { name, text: await blob!.text() };
}

describe('leads', () => {
  it('filters by day, exports JSON Lines, and opens a lead with its conversation', async () => {
    const { company } = await session.api.company();
    await fetch(`${server.url}/api/send-lead?site=${company.site_key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'posted@site.test', plan: 'pro' }),
    });
    const visitor = await RawVisitor.connect(server.wsUrl);
    await visitor.turn('action', 'no');
    await visitor.turn('text', 'Lia Lead');
    await visitor.turn('text', 'lia@example.com');
    await visitor.turn('text', '+15550111');
    visitor.close();

    const view = await mount('parley-leads-view', { api: session.api });
    await until(() => $$(view, 'tbody tr').some((tr) => tr.textContent!.includes('posted@site.test')), 'the posted lead');
    const today = new Date().toISOString().slice(0, 10);
    const form = $(view, 'form')!;
    ($(view, 'input[name="from"]') as HTMLInputElement).value = dayAfter(today);
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await until(() => text(view).includes('No leads yet'), 'nothing from tomorrow on');
    ($(view, 'input[name="from"]') as HTMLInputElement).value = today;
    ($(view, 'input[name="to"]') as HTMLInputElement).value = today;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    await until(() => $$(view, 'tbody tr').length >= 2, 'today’s leads');

    const jsonl = await captureDownload(() => $(view, '[data-action="export-jsonl"]')!.click());
    expect(jsonl.name).toMatch(/^leads-\d{4}-\d{2}-\d{2}\.jsonl$/);
    const records = jsonl.text.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(records.some((r) => r.data.email === 'posted@site.test' && r.source === 'api')).toBe(true);

    const row = $$(view, 'tbody tr').find((tr) => tr.textContent!.includes('lia@example.com'))!;
    row.querySelector<HTMLButtonElement>('[data-lead]')!.click();
    const detail = await until(() => view.shadowRoot!.querySelector('parley-lead-detail'), 'the lead detail');
    await until(() => detail.shadowRoot?.querySelector('[part="transcript"] parley-message-bubble'), 'the transcript');
    await settle(detail);
    expect(text(detail)).toContain('Lia Lead');
    expect(text(detail)).toContain('Bot flow');
    expect($$(detail, 'parley-message-bubble').length).toBeGreaterThanOrEqual(8);
    expect($(detail, 'a')!.getAttribute('href')).toBe(`/admin/inbox/${encodeURIComponent(visitor.conversationId)}`);

    $(view, '[data-action="close-detail"]')!.click();
    await view.updateComplete;
    expect(view.shadowRoot!.querySelector('parley-lead-detail')).toBeNull();
  });
});

describe('webhooks', () => {
  it('adds an endpoint, shows its secret once, sends a signed test event and logs it', async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const view = await mount('parley-webhooks-view', { api: session.api });
    await until(() => text(view).includes('No endpoints yet') || $$(view, '[part="endpoint"]').length, 'the list');
    const form = $(view, 'form[part="add"]') as HTMLFormElement;
    (form.querySelector('[name="url"]') as HTMLInputElement).value = url;
    (form.querySelector('[name="description"]') as HTMLInputElement).value = 'CRM';
    (form.querySelector('input[value="conversation.resolved"]') as HTMLInputElement).checked = true;
    form.dispatchEvent(new Event('submit', { cancelable: true }));
    const secret = (await until(() => $(view, '[data-webhook-secret]'), 'the secret')).textContent!;
    expect(secret).toMatch(/^whsec_/);
    const card = $(view, '[part="endpoint"]')!;
    expect(card.textContent).toContain('lead.created, conversation.resolved');

    card.querySelector<HTMLButtonElement>('[data-action="test"]')!.click();
    await until(() => text(view).includes('Test event: Delivered (200).'), 'the test outcome');
    const log = await until(() => view.shadowRoot!.querySelector('parley-webhook-log'), 'the log');
    const row = await until(() => log.shadowRoot?.querySelector('tr[data-delivery]'), 'a logged delivery');
    expect(row.textContent).toContain('webhook.test');
    expect(row.textContent).toContain('Delivered');

    // The receiver got it, signed with the secret that was shown.
    const hit = hits[0]!;
    const expected = createHmac('sha256', secret).update(`${hit.headers['x-parley-timestamp']}.${hit.raw}`).digest('hex');
    expect(hit.headers['x-parley-signature']).toBe(`v1=${expected}`);

    row.querySelector<HTMLButtonElement>('[data-action="details"]')!.click();
    const payload = await until(() => log.shadowRoot?.querySelector('[part="payload"]'), 'the payload');
    expect(JSON.parse(payload.textContent!)).toMatchObject({ type: 'webhook.test', id: JSON.parse(hit.raw).id });
    expect(log.shadowRoot!.querySelector('[part="attempts"]')!.textContent).toContain('200');
    row.querySelector<HTMLButtonElement>('[data-action="redeliver"]')!.click();
    await until(() => hits.length === 2, 'the redelivery');
    expect(JSON.parse(hits[1]!.raw).id).toBe(JSON.parse(hit.raw).id);

    // Shown once: a fresh screen does not show it.
    view.remove();
    const again = await mount('parley-webhooks-view', { api: session.api });
    await until(() => $$(again, '[part="endpoint"]').length === 1, 'the endpoint');
    expect(text(again)).not.toContain(secret);
    $(again, '[data-action="delete"]')!.click();
    await until(() => text(again).includes('No endpoints yet'), 'removed');
  });

  it('says when an endpoint was disabled because its deliveries kept failing, and enables it again', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const { endpoint } = await session.api.createWebhook({ url: `http://127.0.0.1:${port}/down`, events: ['lead.created'] });
    const view = await mount('parley-webhooks-view', { api: session.api });
    const card = await until(() => $(view, `[data-endpoint="${endpoint.id}"]`), 'the endpoint');
    expect(card.querySelector('[data-disabled-notice]')).toBeNull();

    // The test server gives a delivery up after one attempt, and disables an endpoint after one.
    card.querySelector<HTMLButtonElement>('[data-action="test"]')!.click();
    await until(() => text(view).includes('Test event: Gave up after 1 attempt: Answered 500.'), 'the test outcome');
    const notice = await until(() => $(view, `[data-endpoint="${endpoint.id}"] [data-disabled-notice]`), 'the notice');
    expect(notice.textContent).toBe('Disabled after 1 failed delivery in a row. Fix the receiver, then enable the endpoint.');
    const toggle = $(view, `[data-endpoint="${endpoint.id}"] [data-action="toggle"]`)!;
    expect(toggle.textContent!.trim()).toBe('Enable');

    toggle.click();
    await until(() => $(view, `[data-endpoint="${endpoint.id}"] [data-action="toggle"]`)!.textContent!.trim() === 'Disable', 'enabled');
    expect($(view, `[data-endpoint="${endpoint.id}"] [data-disabled-notice]`)).toBeNull();
    expect((await session.api.webhooks()).endpoints[0]).toMatchObject({ enabled: true, disabled_reason: null, consecutive_failures: 0 });
    await session.api.deleteWebhook(endpoint.id);
  });

  it('after a new secret, signs with both until the previous one is stopped', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const made = await session.api.createWebhook({ url: `http://127.0.0.1:${port}/rotate`, events: ['lead.created'] });
    const view = await mount('parley-webhooks-view', { api: session.api });
    const card = await until(() => $(view, `[data-endpoint="${made.endpoint.id}"]`), 'the endpoint');
    expect(card.querySelector('[data-previous-secret]')).toBeNull();

    card.querySelector<HTMLButtonElement>('[data-action="rotate"]')!.click();
    const fresh = (await until(() => $(view, '[data-webhook-secret]'), 'the new secret')).textContent!;
    const endpoint = (await session.api.webhooks()).endpoints.find((e) => e.id === made.endpoint.id)!;
    const until24h = dateTime(endpoint.previous_secret_expires_at);
    expect(Date.parse(endpoint.previous_secret_expires_at!) - Date.now()).toBeGreaterThan(23 * 3_600_000);
    await until(() => text(view).includes(`Copy it now: it is not shown again. The previous secret also signs requests until ${until24h}.`), 'the message');
    expect($(view, '[data-previous-secret]')!.textContent).toContain(`The previous secret also signs requests until ${until24h}.`);

    // Both signatures, the new one first.
    const signed = async () => {
      const before = hits.length;
      await session.api.testWebhook(made.endpoint.id);
      const hit = hits[before]!;
      const sign = (secret: string) => createHmac('sha256', secret).update(`${hit.headers['x-parley-timestamp']}.${hit.raw}`).digest('hex');
      return { header: hit.headers['x-parley-signature'], sign };
    };
    const during = await signed();
    expect(during.header).toBe(`v1=${during.sign(fresh)},v1=${during.sign(made.secret!)}`);

    $(view, '[data-action="expire-previous"]')!.click();
    await until(() => text(view).includes('The previous secret no longer signs requests.') && !$(view, '[data-previous-secret]'), 'stopped');
    const after = await signed();
    expect(after.header).toBe(`v1=${after.sign(fresh)}`);
    await session.api.deleteWebhook(made.endpoint.id);
  });

  it('words each delivery state plainly', () => {
    expect(outcome({ status: 'succeeded', last_status_code: 204, last_error: null, attempts: 1 })).toBe('Delivered (204)');
    expect(outcome({ status: 'pending', last_status_code: 500, last_error: 'Answered 500', attempts: 2 })).toBe('Retrying: Answered 500');
    expect(outcome({ status: 'failed', last_status_code: null, last_error: 'Connection refused', attempts: 15 })).toBe('Gave up after 15 attempts: Connection refused');
    expect(previousSecretNote({ previous_secret_expires_at: null })).toBe('The previous secret no longer signs requests.');
    expect(disabledNotice({ disabled_reason: null, consecutive_failures: 2, pending: 0 })).toBeUndefined();
    expect(disabledNotice({ disabled_reason: 'failing', consecutive_failures: 3, pending: 12 })).toBe(
      'Disabled after 3 failed deliveries in a row. Fix the receiver, then enable the endpoint: the 12 deliveries waiting will be sent, in order.',
    );
    expect(dayAfter('2026-12-31')).toBe('2027-01-01');
  });
});

describe('identity verification', () => {
  it('hides the secret until asked, renews it, and requires verification', async () => {
    const view = await mount('parley-identity-settings', { api: session.api });
    await until(() => $(view, '[data-action="reveal"]'), 'the masked secret');
    const { secret } = await session.api.identitySettings();
    expect(text(view)).not.toContain(secret);
    $(view, '[data-action="reveal"]')!.click();
    await view.updateComplete;
    expect($(view, '[data-identity-secret]')!.textContent).toBe(secret);
    expect($(view, '[part="hash-snippet"]')!.textContent).toContain("createHmac('sha256'");

    $(view, '[data-action="rotate-identity"]')!.click();
    await until(() => $(view, '[data-identity-secret]')?.textContent !== secret, 'a new secret');
    expect((await session.api.identitySettings()).secret).toBe($(view, '[data-identity-secret]')!.textContent);

    const enforce = $(view, '[data-action="enforce"]') as HTMLInputElement;
    enforce.checked = true;
    enforce.dispatchEvent(new Event('change'));
    await until(async () => (await session.api.identitySettings()).enforce, 'enforced');
    await session.api.updateIdentitySettings({ enforce: false });
  });
});
