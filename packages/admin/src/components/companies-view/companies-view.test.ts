import { afterEach, describe, expect, it } from 'vitest';
import type { CompanyView, CreateCompanyRequest, CreateUserRequest } from '@parley/protocol';
import { until } from '../../../../server/test/support/until.js';
import { ApiClient } from '../../api/http.js';
import { $, $$, mount, settle, text } from '../../../test/dom.js';
import { fakeApi, type FakeAnswer, type FakeCall } from '../../../test/fake-api.js';
import { user } from '../../../test/fixtures.js';
import type { ParleyCompaniesView } from './companies-view.component.js';
import './companies-view.js';

/*
 * The owner's Companies screen against a fake API that keeps companies in memory and, like the
 * server, refuses an email that is taken (409) when adding a company's first admin or an admin.
 */
const company = (id: string, name: string, extra: Partial<CompanyView> = {}): CompanyView => ({
  id,
  name,
  site_key: `site_${id}`,
  allowed_origins: [],
  has_api_key: true,
  is_default: false,
  created_at: '2026-11-01T09:00:00.000Z',
  ...extra,
});
const taken = 'owner@parley.test';
const conflict: FakeAnswer = { status: 409, body: { statusCode: 409, code: 'conflict', error: 'Conflict', message: 'An account with this email already exists' } };
let sent: Array<{ call: FakeCall; body: unknown }>;

/** The screen as the owner of co1 sees it, with Acme (the default, theirs) and Globex. */
async function screen(): Promise<ParleyCompaniesView> {
  const companies = [company('co1', 'Acme', { is_default: true, allowed_origins: ['https://acme.example'] }), company('co2', 'Globex')];
  sent = [];
  const api = fakeApi((call, body) => {
    if (call.method !== 'GET') sent.push({ call, body });
    if (call.method === 'GET' && call.path === '/api/companies') return { body: { companies } };
    if (call.method === 'POST' && call.path === '/api/companies') {
      const request = body as CreateCompanyRequest;
      if (request.admin?.email === taken) return conflict;
      const made = company(`co${companies.length + 1}`, request.name, { allowed_origins: request.allowed_origins ?? [] });
      companies.push(made);
      const admin = request.admin && user('admin', { email: request.admin.email, name: request.admin.name, company_id: made.id });
      return { status: 201, body: { company: made, api_key: 'pk_live_once_only_1234567890', ...(admin ? { admin } : {}) } };
    }
    if (call.method === 'POST' && call.path === '/api/users') {
      const request = body as CreateUserRequest;
      if (request.email === taken) return conflict;
      return { status: 201, body: { user: user('admin', { email: request.email, name: request.name, company_id: request.company_id! }) } };
    }
    return undefined;
  });
  const view = await mount('parley-companies-view', { api: new ApiClient({ token: () => 'jwt', fetch: api.fetch }), origin: 'https://chat.example', own: 'co1' });
  await until(() => $$(view, '[part="company"]').length === 2, 'the companies');
  return view;
}

/** Types into the named fields of a form in `root` and submits it. */
async function fill(root: Element, form: string, fields: Record<string, string>): Promise<void> {
  for (const [name, value] of Object.entries(fields)) ($(root, `${form} [name="${name}"]`) as HTMLInputElement).value = value;
  $(root, form)!.dispatchEvent(new Event('submit', { cancelable: true }));
  await settle(root);
}

const adminForm = (view: Element) => $(view, 'parley-company-admin-form')!;

afterEach(() => (sent = []));

describe('parley-companies-view', () => {
  it('lists every company with its site key, origins and the default marker; only the others get "Add an admin"', async () => {
    const view = await screen();
    const [acme, globex] = $$(view, '[part="company"]').map((row) => row.textContent!.replace(/\s+/g, ' '));
    expect(acme).toContain('Acme default yours');
    expect(acme).toContain('site_co1');
    expect(acme).toContain('https://acme.example');
    expect(globex).toContain('site_co2');
    expect(globex).toContain('any site');
    expect($$(view, '[data-action="add-admin"]').map((b) => b.closest('[part="company"]')!.getAttribute('data-company'))).toEqual(['co2']);
  });

  it('adds a company with its first admin, then shows its embed code and its API key once', async () => {
    const view = await screen();
    await fill(view, '[part="add"]', { name: 'Initech', origins: 'https://initech.example/\nhttps://www.initech.example', 'admin-email': 'peter@initech.example', 'admin-name': 'Peter', 'admin-password': 'tps-report-1' });
    const key = await until(() => $(view, '[data-api-key]'), 'the API key');

    expect(sent.map(({ call, body }) => [call.method, call.path, body])).toEqual([
      ['POST', '/api/companies', { name: 'Initech', allowed_origins: ['https://initech.example', 'https://www.initech.example'], admin: { email: 'peter@initech.example', name: 'Peter', password: 'tps-report-1' } }],
    ]);
    expect(key.textContent).toBe('pk_live_once_only_1234567890');
    expect($(view, '[part="created"]')!.textContent).toContain('Initech');
    expect($(view, '[part="created"]')!.textContent).toContain('Save it now: it will not be shown again.');
    expect($(view, '[part="created"]')!.textContent).toContain('Peter can sign in with peter@initech.example');
    expect($(view, '[part="snippet"]')!.textContent).toBe('<script src="https://chat.example/widget.js" data-site="site_co3" async></script>');
    await until(() => $$(view, '[part="company"]').length === 3, 'Initech listed');
    expect(($(view, '[part="add"] [name="name"]') as HTMLInputElement).value).toBe('');

    $(view, '[data-action="dismiss"]')!.click();
    await view.updateComplete;
    expect(text(view)).not.toContain('pk_live_once_only_1234567890');
    view.remove();
    const again = await screen();
    expect(text(again)).not.toContain('pk_live_once_only_1234567890');
  });

  it('adds a company without people, and refuses a first admin given only in part without asking the server', async () => {
    const view = await screen();
    await fill(view, '[part="add"]', { name: 'Hooli', 'admin-email': 'gavin@hooli.example' });
    expect($(view, '[role="alert"]')!.textContent).toBe('To add a first admin, fill in their email, name and password.');
    expect(sent).toEqual([]);

    await fill(view, '[part="add"]', { name: 'Hooli', 'admin-email': '' });
    await until(() => $(view, '[data-api-key]'), 'the API key');
    expect(sent.map(({ body }) => body)).toEqual([{ name: 'Hooli' }]);
    expect($(view, '[part="created"]')!.textContent).toContain('It has no people yet');
  });

  it("shows the server's message when the first admin's email is taken, and makes nothing", async () => {
    const view = await screen();
    await fill(view, '[part="add"]', { name: 'Initech', 'admin-email': taken, 'admin-name': 'Peter', 'admin-password': 'tps-report-1' });
    const alert = await until(() => $(view, '[role="alert"]'), 'the error');
    expect(alert.textContent).toBe('An account with this email already exists');
    expect($(view, '[data-api-key]')).toBeNull();
    expect(($(view, '[part="add"] [name="name"]') as HTMLInputElement).value).toBe('Initech');
  });

  it("adds an admin to another company with its company_id, and shows the server's 409 message", async () => {
    const view = await screen();
    $(view, '[data-company="co2"] [data-action="add-admin"]')!.click();
    await settle(view);
    await fill(adminForm(view), 'form', { email: 'hank@globex.example', name: 'Hank', password: 'scorpio-123' });
    await until(() => $(adminForm(view), '[role="status"]'), 'the confirmation');
    expect(sent.map(({ call, body }) => [call.method, call.path, body])).toEqual([
      ['POST', '/api/users', { email: 'hank@globex.example', name: 'Hank', password: 'scorpio-123', role: 'admin', company_id: 'co2' }],
    ]);
    expect($(adminForm(view), '[role="status"]')!.textContent).toBe('Hank can now sign in to Globex with hank@globex.example.');

    await fill(adminForm(view), 'form', { email: taken, name: 'Hank', password: 'scorpio-123' });
    const alert = await until(() => $(adminForm(view), '[role="alert"]'), 'the error');
    expect(alert.textContent).toBe('An account with this email already exists');
  });
});
