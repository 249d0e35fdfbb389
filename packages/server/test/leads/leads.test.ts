import { describe, expect, it } from 'vitest';
import type { AckFrame, Flow, FormComponent, LeadFrame, MessageFrame } from '@parley/protocol';
import { parseFlow } from '../../src/flows/load.js';
import { texts } from '../helper.js';
import { addCompany, call, is, login, openVisitor, OWNER, startAgentServer } from '../agent-helper.js';

const LEAD_FORM: Flow = parseFlow({
  id: 'callback',
  name: 'Call-back form',
  version: 1,
  start: 'ask',
  steps: {
    ask: {
      type: 'form',
      text: 'Leave your details and we will call you back.',
      fields: [
        { name: 'name', label: 'Name', kind: 'text', required: true, validate: { max_length: 80 } },
        { name: 'email', label: 'Email', kind: 'email', required: true },
        { name: 'phone', label: 'Phone', kind: 'phone' },
        { name: 'team_size', label: 'Team size', kind: 'number', validate: { min: 1, max: 500 } },
        { name: 'plan', label: 'Plan', kind: 'select', required: true, options: [{ label: 'Starter', value: 'starter' }, { label: 'Pro', value: 'pro' }] },
      ],
      submit_label: 'Call me back',
      lead: true,
      next: 'thanks',
    },
    thanks: { type: 'end', text: 'Thanks {{name}}, we will call {{phone}}.' },
  },
});

const BAD = { name: 'Zoe <b>Q</b>', email: 'zoe@', phone: '+1 555 123 4567', team_size: '9999', plan: 'pro' };
const GOOD = { ...BAD, email: 'zoe@shop.test', team_size: '12' };

async function withForm() {
  const server = await startAgentServer();
  await server.app.flows.activate(server.app.companies.defaultCompany().id, LEAD_FORM);
  const owner = await login(server.http, OWNER.email, OWNER.password);
  return { ...server, owner, site: server.app.companies.defaultCompany().siteKey };
}

const formOf = (components: Array<{ type: string }>) => components.find((c): c is FormComponent => c.type === 'form');

describe('leads from a form', () => {
  it('over the WebSocket: names each wrong field, keeps the valid values, then stores the lead and tells the visitor', async () => {
    const { http, ws, owner } = await withForm();
    const visitor = await openVisitor(ws);
    const greeting = await visitor.socket.nextOf<MessageFrame>('message');
    const form = formOf(greeting.message.components)!;
    expect(form.payload).toMatchObject({ id: 'ask', submit_label: 'Call me back' });
    expect(form.payload.fields.map((f) => [f.name, f.kind, f.required ?? false])).toEqual([
      ['name', 'text', true],
      ['email', 'email', true],
      ['phone', 'phone', false],
      ['team_size', 'number', false],
      ['plan', 'select', true],
    ]);
    expect(form.payload.fields[3]).toMatchObject({ min: 1, max: 500 });

    visitor.socket.send({ type: 'form', id: 'f1', form: 'ask', values: BAD });
    await visitor.socket.next((f) => f.type === 'ack' && (f as AckFrame).id === 'f1');
    const retry = (await visitor.socket.next(is.messageWithRole('bot'))) as MessageFrame;
    expect(texts(retry.message.components)).toEqual([
      'Email: Please enter a valid email address, like name@example.com.',
      'Team size: Please enter a number from 1 to 500.',
    ]);
    const again = formOf(retry.message.components)!;
    const byName = Object.fromEntries(again.payload.fields.map((f) => [f.name, f]));
    expect(byName.name).toMatchObject({ value: 'Zoe <b>Q</b>' });
    expect(byName.email).toMatchObject({ error: 'Please enter a valid email address, like name@example.com.' });
    expect(byName.email!.value).toBeUndefined();
    expect(byName.team_size!.value).toBeUndefined();
    expect(byName.plan).toMatchObject({ value: 'pro' });

    visitor.socket.send({ type: 'form', id: 'f2', form: 'ask', values: GOOD });
    const thanks = (await visitor.socket.next(is.messageWithRole('bot'))) as MessageFrame;
    expect(texts(thanks.message.components)).toEqual(['Thanks Zoe &lt;b&gt;Q&lt;/b&gt;, we will call +15551234567.']);
    const lead = await visitor.socket.nextOf<LeadFrame>('lead');
    expect(lead.data).toEqual({ name: 'Zoe <b>Q</b>', email: 'zoe@shop.test', phone: '+15551234567', team_size: 12, plan: 'pro' });

    // The same form sent again (a reconnect) is stored once.
    visitor.socket.send({ type: 'form', id: 'f2', form: 'ask', values: GOOD });
    await visitor.socket.next((f) => f.type === 'ack' && (f as AckFrame).id === 'f2');
    const leads = (await call(http, 'GET', '/api/leads', { token: owner.token })).body.leads;
    expect(leads).toEqual([
      { id: lead.id, conversation_id: visitor.welcome.conversation_id, source: 'form', data: lead.data, created_at: expect.any(String) },
    ]);
    const detail = await call(http, 'GET', `/api/chats/${visitor.welcome.conversation_id}`, { token: owner.token });
    expect(detail.body.variables).toMatchObject({ email: 'zoe@shop.test', team_size: 12, plan: 'pro' });
    expect(detail.body.chat.lead).toEqual(lead.data);

    // The visitor's own message shows what they sent, escaped.
    const messages = (await call(http, 'GET', `/api/messages/${visitor.welcome.conversation_id}`, { token: owner.token })).body.messages;
    const sent = messages.find((m: { message: { client_id?: string } }) => m.message.client_id === 'f2').message;
    expect(sent.components[0].payload.text).toContain('<b>Name</b>: Zoe &lt;b&gt;Q&lt;/b&gt;');
    expect(sent.components[0].payload.text).toContain('<b>Plan</b>: Pro');
  });

  it('over HTTP: the same checks, and the reply says which lead was saved', async () => {
    const { http } = await withForm();
    const start = await call(http, 'GET', '/api/chatbot');
    const session = start.body.chatbot_session;
    expect(formOf(start.body.BOT.components)?.payload.id).toBe('ask');

    const neither = await call(http, 'POST', '/api/chatbot', { body: { chatbot_session: session } });
    expect(neither.status).toBe(400);
    const both = await call(http, 'POST', '/api/chatbot', { body: { chatbot_session: session, message: 'hi', form: { id: 'ask', values: GOOD } } });
    expect(both.status).toBe(400);
    const stale = await call(http, 'POST', '/api/chatbot', { body: { chatbot_session: session, form: { id: 'old', values: GOOD } } });
    expect(texts(stale.body.BOT.components)[0]).toBe('This form is no longer active.');
    const typed = await call(http, 'POST', '/api/chatbot', { body: { chatbot_session: session, message: 'zoe@shop.test' } });
    expect(texts(typed.body.BOT.components)[0]).toBe('Please fill in the form above.');
    const poisoned = await call(http, 'POST', '/api/chatbot', { body: { chatbot_session: session, form: { id: 'ask', values: { ...GOOD, 'not a field': 'x' } } } });
    expect(poisoned.status).toBe(400);

    const missing = await call(http, 'POST', '/api/chatbot', { body: { chatbot_session: session, message_id: 'h1', form: { id: 'ask', values: { email: 'zoe@shop.test' } } } });
    expect(missing.status).toBe(200);
    expect(texts(missing.body.BOT.components)).toEqual(['Name: Please fill in name.', 'Plan: Please fill in plan.']);
    expect(missing.body.lead).toBeUndefined();

    const saved = await call(http, 'POST', '/api/chatbot', { body: { chatbot_session: session, message_id: 'h2', form: { id: 'ask', values: GOOD } } });
    expect(saved.body).toMatchObject({ is_terminal: true, lead: { id: expect.any(String), data: { email: 'zoe@shop.test', plan: 'pro' } } });
  });

  it("from the flow's lead step, the visitor's widget is told", async () => {
    const { ws } = await startAgentServer();
    const visitor = await openVisitor(ws);
    for (const [id, value] of [['a1', 'no'], ['a2', 'Ann'], ['a3', 'ann@shop.test'], ['a4', '+1 555 000 1111']] as const) {
      visitor.socket.send({ type: id === 'a1' ? 'action' : 'message', id, ...(id === 'a1' ? { value } : { text: value }) });
      await visitor.socket.next((f) => f.type === 'ack' && (f as AckFrame).id === id);
    }
    const lead = await visitor.socket.nextOf<LeadFrame>('lead');
    expect(lead.data).toMatchObject({ name: 'Ann', email: 'ann@shop.test' });
  });
});

describe('POST /api/send-lead', () => {
  it('saves any flat object with a server timestamp, by site key or API key', async () => {
    const { app, http, owner, site } = await withForm();
    const before = Date.now();
    const saved = await call(http, 'POST', `/api/send-lead?site=${site}`, { body: { email: 'sam@shop.test', budget: 1200, newsletter: true } });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ message: 'Lead saved' });
    const [lead] = (await call(http, 'GET', '/api/leads', { token: owner.token })).body.leads;
    expect(lead).toMatchObject({ source: 'api', conversation_id: null, data: { email: 'sam@shop.test', budget: 1200, newsletter: true } });
    expect(Date.parse(lead.data.timestamp)).toBeGreaterThanOrEqual(before - 5);
    expect(lead.data.timestamp).toBe(lead.created_at);

    // The server's timestamp wins over one sent; the header form of the site key works too.
    await call(http, 'POST', '/api/send-lead', { body: { email: 'x@shop.test', timestamp: '1999-01-01' }, headers: { 'x-site-key': site } });
    const newest = (await call(http, 'GET', '/api/leads', { token: owner.token })).body.leads[0];
    expect(newest.data.timestamp).not.toBe('1999-01-01');

    // An API key picks its own company; a visitor session links the lead to the conversation.
    const b = await addCompany(app, http, 'Bravo');
    const visitor = await call(http, `GET`, `/api/chatbot?site=${b.company.siteKey}`);
    const byKey = await call(http, 'POST', '/api/send-lead', {
      body: { name: 'From the CRM' },
      headers: { 'x-api-key': b.apiKey, 'x-parley-session': visitor.body.chatbot_session },
    });
    expect(byKey.status).toBe(200);
    const bLeads = (await call(http, 'GET', '/api/leads', { token: b.token })).body.leads;
    expect(bLeads).toHaveLength(1);
    expect(bLeads[0].conversation_id).not.toBeNull();
    expect((await call(http, 'GET', '/api/leads', { token: owner.token })).body.leads).toHaveLength(2);
  });

  it('answers 400 for bad JSON or nested values, 413 over the cap, 401 for an unknown key, 403 for a foreign page', async () => {
    const { app, http, site } = await withForm();
    const raw = (body: string, headers: Record<string, string> = {}) =>
      fetch(`${http}/api/send-lead?site=${site}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const badJson = await raw('{"email": "a@b.c",');
    expect(badJson.status).toBe(400);
    expect(await badJson.json()).toMatchObject({ code: 'bad_request' });
    for (const body of ['{"address": {"city": "Paris"}}', '{"tags": ["a", "b"]}', '{"x": null}', '[1, 2]', '"text"', '{}', '{"__proto__": {"admin": true}}', JSON.stringify({ ['k'.repeat(101)]: 'x' })]) {
      const answer = await raw(body);
      expect(answer.status, body).toBe(400);
    }
    const big = await raw(JSON.stringify({ note: 'x'.repeat(9000) }));
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ code: 'payload_too_large' });
    const many = await raw(JSON.stringify(Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i]))));
    expect(many.status).toBe(413);

    expect((await call(http, 'POST', '/api/send-lead?site=pk_unknown', { body: { email: 'a@b.c' } })).status).toBe(401);
    expect((await call(http, 'POST', '/api/send-lead', { body: { email: 'a@b.c' }, headers: { 'x-api-key': 'sk_wrong' } })).status).toBe(401);

    await app.companies.update(app.companies.defaultCompany().id, { allowedOrigins: ['https://shop.example'] });
    expect((await raw('{"email": "a@b.c"}', { origin: 'https://evil.example' })).status).toBe(403);
    expect((await raw('{"email": "a@b.c"}', { origin: 'https://shop.example' })).status).toBe(200);
    expect(await app.db.selectFrom('leads').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 1 });
  });

  it('is rate-limited per address', async () => {
    const { http, site } = await (async () => {
      const server = await startAgentServer({ limits: { sendLeadPerMinute: 3 } });
      return { ...server, site: server.app.companies.defaultCompany().siteKey };
    })();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await call(http, 'POST', `/api/send-lead?site=${site}`, { body: { n: i } })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});

/** What the lead-capture page of the Flask system sends: no key, its visitor data as plain JSON. */
const FLASK_PAGE_DATA = { name: 'Sam Ortiz', email: 'sam@shop.test', phone: '+1 555 0100', message: 'Call me <after> 5 & before 7' };

describe('POST /send-lead without a key (the Flask lead-capture contract)', () => {
  it('takes a page that worked against the Flask server unchanged: userData as plain JSON, no key, the text Lead saved', async () => {
    const { app, http, owner } = await withForm();
    const page = 'https://www.shop.example';
    // The page's own call, cross-origin now: the browser asks first, and is allowed (no origins set).
    const preflight = await fetch(`${http}/send-lead`, {
      method: 'OPTIONS',
      headers: { origin: page, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(page);
    const flask = await fetch(`${http}/send-lead`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', origin: page },
      body: JSON.stringify(FLASK_PAGE_DATA),
    });
    expect(flask.status).toBe(200);
    expect(flask.headers.get('access-control-allow-origin')).toBe(page);
    expect(await flask.json()).toEqual({ message: 'Lead saved' });
    // Wrapped as {"userData": {...}}, as the page's variable is named, and on /api/send-lead alike.
    const wrapped = await fetch(`${http}/api/send-lead`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userData: { ...FLASK_PAGE_DATA, email: 'wrapped@shop.test' } }),
    });
    expect(wrapped.status).toBe(200);
    expect(await wrapped.text()).toBe('{"message":"Lead saved"}');

    // Both went to the default company, as the chat does without ?site=, with the server's timestamp.
    const leads = (await call(http, 'GET', '/api/leads', { token: owner.token })).body.leads;
    expect(leads.map((l: { data: { email: string } }) => l.data.email)).toEqual(['wrapped@shop.test', 'sam@shop.test']);
    expect(leads[1]).toMatchObject({ source: 'api', conversation_id: null, data: FLASK_PAGE_DATA });
    expect(leads[1].data.timestamp).toBe(leads[1].created_at);
    const stored = await app.db.selectFrom('leads').select('company_id').execute();
    expect(stored.map((r) => r.company_id)).toEqual([app.companies.defaultCompany().id, app.companies.defaultCompany().id]);
  });

  it('answers exactly like /api/send-lead: keys still pick their company, the same checks and answers', async () => {
    const { app, http, site } = await withForm();
    const b = await addCompany(app, http, 'Bravo');
    const both = async (body: string, headers: Record<string, string> = {}) => {
      const answers = [];
      for (const path of ['/send-lead', '/api/send-lead']) {
        const response = await fetch(`${http}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
        answers.push({ status: response.status, body: await response.text() });
      }
      expect(answers[0], body).toEqual(answers[1]);
      return answers[0]!;
    };
    expect((await both('{"email": "a@b.c"}', { 'x-api-key': b.apiKey })).status).toBe(200);
    expect((await both('{"email": "a@b.c"}', { 'x-site-key': b.company.siteKey })).status).toBe(200);
    expect((await both('{"email": "a@b.c"}', { 'x-api-key': 'sk_wrong' })).status).toBe(401);
    expect((await both('{"email": "a@b.c"}', { 'x-site-key': 'pk_unknown' })).status).toBe(401);
    expect((await both('{"address": {"city": "Paris"}}')).status).toBe(400);
    expect((await both('{"userData": {"address": {"city": "Paris"}}}')).status).toBe(400);
    expect((await both('{"userData": {}}')).status).toBe(400);
    expect((await both('{"email": "a@b.c",')).status).toBe(400);
    expect((await both(JSON.stringify({ note: 'x'.repeat(9000) }))).status).toBe(413);
    const bLeads = await app.db.selectFrom('leads').select('id').where('company_id', '=', b.company.id).execute();
    expect(bLeads).toHaveLength(4);

    // The default company's allowed origins guard the keyless post as they guard its site key.
    await app.companies.update(app.companies.defaultCompany().id, { allowedOrigins: ['https://shop.example'] });
    const foreign = await both('{"email": "a@b.c"}', { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ code: 'forbidden', message: 'Origin not allowed' });
    expect((await both('{"email": "a@b.c"}', { origin: 'https://shop.example' })).status).toBe(200);
    expect(site).toBe(app.companies.defaultCompany().siteKey);
  });

  it('shares one per-address limit between the two paths', async () => {
    const { http } = await startAgentServer({ limits: { sendLeadPerMinute: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await call(http, 'POST', i % 2 ? '/api/send-lead' : '/send-lead', { body: { n: i } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429]);
  });
});

/** A download as text, with its headers. */
async function download(http: string, path: string, token: string) {
  const response = await fetch(`${http}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

describe('lead exports', () => {
  it('CSV and JSON Lines hold the same records, in a stable column order, escaped and formula-proof', async () => {
    const { http, owner, site } = await withForm();
    const post = (data: Record<string, unknown>) => call(http, 'POST', `/api/send-lead?site=${site}`, { body: data });
    await post({ name: '=HYPERLINK("http://evil.test","Click")', email: 'ann@shop.test', phone: '+15551234567' });
    await post({ zeta: 'last', note: 'line one\nline two, with "quotes"', id: 'their own id', amount: -5 });
    await post({ email: '@cmd', tab: '\tx', cr: '\rx', safe: 'plain' });

    const json = (await call(http, 'GET', '/api/leads', { token: owner.token })).body.leads;
    const csv = await download(http, '/api/leads?format=csv', owner.token);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (csv.body as string).split('\r\n');
    expect(lines[0]).toBe('id,created_at,source,conversation_id,amount,cr,email,data.id,name,note,phone,safe,tab,timestamp,zeta');
    expect(lines).toHaveLength(json.length + 2);
    const row = (lead: { id: string }) => lines.find((l) => l.startsWith(lead.id))!;
    // Leads of the same millisecond list in id order: find each by what it holds.
    type Listed = { id: string; created_at: string; data: Record<string, unknown> };
    const holding = (key: string, value: unknown) => (json as Listed[]).find((lead) => lead.data[key] === value)!;
    const [first, second, third] = [holding('email', 'ann@shop.test'), holding('zeta', 'last'), holding('safe', 'plain')];
    expect(row(first)).toContain(`,ann@shop.test,,"'=HYPERLINK(""http://evil.test"",""Click"")",,'+15551234567,`);
    expect(row(second)).toContain(`,'-5,,,their own id,,"line one\nline two, with ""quotes""",`);
    expect(row(third)).toContain(`,"'\rx",'@cmd,,,,,plain,'\tx,`);

    const jsonl = await download(http, '/api/leads?format=jsonl', owner.token);
    expect(jsonl.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(jsonl.headers.get('content-disposition')).toMatch(/filename="leads-\d{4}-\d{2}-\d{2}\.jsonl"$/);
    const records = (jsonl.body as string).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(records.map((r) => r.id)).toEqual(json.map((l: { id: string }) => l.id));
    const record = (lead: { id: string }) => records.find((r) => r.id === lead.id);
    expect(record(second)).toEqual({ id: second.id, created_at: second.created_at, source: 'api', conversation_id: null, data: second.data });
    expect(Object.keys(record(second))).toEqual(['id', 'created_at', 'source', 'conversation_id', 'data']);
    expect(Object.keys(record(second).data)).toEqual(['amount', 'id', 'note', 'timestamp', 'zeta']);
    expect(record(first).data.name).toBe('=HYPERLINK("http://evil.test","Click")');

    // Filters apply to both: text, and dates.
    const q = await download(http, '/api/leads?format=jsonl&q=evil', owner.token);
    expect((q.body as string).trimEnd().split('\n')).toHaveLength(1);
    const future = await call(http, 'GET', '/api/leads?from=2999-01-01', { token: owner.token });
    expect(future.body.leads).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const byDay = await download(http, `/api/leads?from=${today}&format=csv`, owner.token);
    expect((byDay.body as string).split('\r\n')).toHaveLength(5);
  });

  it('shows one lead with its conversation', async () => {
    const { http, ws, owner } = await withForm();
    const visitor = await openVisitor(ws);
    visitor.socket.send({ type: 'form', id: 'f1', form: 'ask', values: GOOD });
    const lead = await visitor.socket.nextOf<LeadFrame>('lead');
    const detail = await call(http, 'GET', `/api/leads/${lead.id}`, { token: owner.token });
    expect(detail.status).toBe(200);
    expect(detail.body.lead).toMatchObject({ id: lead.id, source: 'form' });
    expect(detail.body.conversation).toMatchObject({ id: visitor.welcome.conversation_id, lead: lead.data });
    expect((await call(http, 'GET', '/api/leads/nope', { token: owner.token })).status).toBe(404);
  });
});
