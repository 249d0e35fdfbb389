import { describe, expect, it } from 'vitest';
import type { ChatbotMessagesResponse, ChatList, CompanyResponse, CreateCompanyResponse, MessageList, SearchResponse } from '@parley/protocol';
import { csvCell, toCsv } from '../../src/lib/csv.js';
import { toFtsQuery } from '../../src/lib/fts.js';
import { rawSql, texts } from '../helper.js';
import { addAgent, addCompany, call, is, login, openAgent, openVisitor, OWNER, startAgentServer } from '../agent-helper.js';

/** Plays the demo flow's new-customer path, which stores a lead. */
async function leaveLead(ws: string, name: string, email: string, phone: string) {
  const visitor = await openVisitor(ws);
  const steps: Array<[string, string]> = [['action', 'no'], ['message', name], ['message', email], ['message', phone]];
  for (const [i, [type, value]] of steps.entries()) {
    visitor.socket.send({ type, id: `l${i}`, ...(type === 'action' ? { value } : { text: value }) });
    await visitor.socket.next((f) => f.type === 'ack' && f.id === `l${i}`);
  }
  await visitor.socket.next((f) => f.type === 'message' && JSON.stringify(f).includes('will contact you'));
  return visitor;
}

describe('the agents REST API', () => {
  it('lists chats with unread counts and visitor details, pages messages, and marks them read', async () => {
    const { http, ws } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const visitor = await openVisitor(ws);
    const id = visitor.welcome.conversation_id;
    visitor.socket.send({ type: 'action', id: 'a1', value: 'yes' });
    await visitor.socket.next(is.messageWithRole('bot'));
    await visitor.socket.next(is.messageWithRole('bot'));
    visitor.socket.send({ type: 'message', id: 'a2', text: '1234567' });
    await visitor.socket.nextOf('ack');

    const list = await call<ChatList>(http, 'GET', '/api/chats', { token: owner.token });
    expect(list.status).toBe(200);
    const chat = list.body.chats.find((c) => c.id === id)!;
    expect(chat).toMatchObject({ status: 'bot', assignee: null, unread_count: 2, visitor: { ip: '127.0.0.1', online: true }, lead: null });
    expect(chat.last_message?.seq).toBeGreaterThanOrEqual(4);
    expect((await call<ChatList>(http, 'GET', '/api/chats?status=waiting', { token: owner.token })).body.chats).toEqual([]);
    expect((await call<ChatList>(http, 'GET', '/api/chats?assignee=none&limit=1', { token: owner.token })).body.chats).toHaveLength(1);
    expect((await call(http, 'GET', '/api/chats?status=nonsense', { token: owner.token })).status).toBe(400);

    const detail = await call(http, 'GET', `/api/chats/${id}`, { token: owner.token });
    expect(detail.body.variables).toEqual({ existing: 'yes', account: '1234567' });
    const page = await call<MessageList>(http, 'GET', `/api/messages/${id}?after=1&limit=2`, { token: owner.token });
    expect(page.body.messages.map((m) => [m.message.seq, m.message.role, m.read_at])).toEqual([
      [2, 'user', null],
      [3, 'bot', null],
    ]);
    const read = await call(http, 'PATCH', `/api/messages/${page.body.messages[0]!.message.id}`, { token: owner.token, body: { read: true } });
    expect(read.body).toEqual({ conversation_id: id, seq: 2, unread_count: 1 });
    const after = await call<MessageList>(http, 'GET', `/api/messages/${id}`, { token: owner.token });
    expect(after.body.messages[1]!.read_at).not.toBeNull();
    expect(after.body.messages[3]!.read_at).toBeNull();
    expect((await call(http, 'PATCH', '/api/messages/999999', { token: owner.token, body: { read: true } })).status).toBe(404);
    expect((await call(http, 'PATCH', `/api/messages/abc`, { token: owner.token, body: { read: true } })).status).toBe(400);
  });

  it('pages chats without skipping those last active at the same moment', async () => {
    const { app, http } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const company = app.companies.defaultCompany();
    const started = [];
    for (let i = 0; i < 5; i++) started.push((await app.chat.start(company)).conversation.id);
    // Three share one time: a page boundary falls among them.
    await rawSql(app, "UPDATE conversations SET updated_at = '2026-11-21T10:00:00.000000Z' WHERE id IN (?, ?, ?)", started[1], started[2], started[3]);
    const seen: string[] = [];
    let page = (await call<ChatList>(http, 'GET', '/api/chats?limit=2', { token: owner.token })).body.chats;
    while (page.length) {
      seen.push(...page.map((c) => c.id));
      const last = page[page.length - 1]!;
      const query = `limit=2&before=${encodeURIComponent(last.updated_at)}&before_id=${encodeURIComponent(last.id)}`;
      page = (await call<ChatList>(http, 'GET', `/api/chats?${query}`, { token: owner.token })).body.chats;
    }
    expect(seen.sort()).toEqual([...started].sort());
  });

  it('replies over REST, claims a waiting chat, refuses a colleague, and 409s a closed chat', async () => {
    const { app, http, ws, agentWs } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const ann = await addAgent(app, http, owner.user.company_id, 'Ann');
    const ben = await addAgent(app, http, owner.user.company_id, 'Ben');
    const watcher = await openAgent(agentWs, ben.token);
    const visitor = await openVisitor(ws);
    const id = visitor.welcome.conversation_id;
    visitor.socket.send({ type: 'message', id: 'h', text: 'operator!' });
    await visitor.socket.next(is.type('state', { status: 'waiting' }));

    const reply = await call(http, 'POST', `/api/chats/${id}/messages`, { token: ann.token, body: { text: 'Hi, Ann here', client_id: 'c-1' } });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ role: 'agent', client_id: 'c-1', author: { name: 'Ann' } });
    expect(texts((await visitor.socket.next<{ type: 'message'; message: { components: [] } }>(is.messageWithRole('agent'))).message.components)).toEqual([
      'Hi, Ann here',
    ]);
    await watcher.socket.next(is.chat(id, 'agent'));
    // Replying (and claiming) is Ann's now; Ben is refused, the owner (an admin) may take over.
    expect((await call(http, 'POST', `/api/chats/${id}/messages`, { token: ben.token, body: { text: 'me too' } })).status).toBe(409);
    expect((await call(http, 'POST', `/api/chats/${id}/claim`, { token: ben.token })).status).toBe(409);
    expect((await call(http, 'POST', `/api/chats/${id}/resolve`, { token: ben.token })).status).toBe(409);
    const takeover = await call(http, 'POST', `/api/chats/${id}/claim`, { token: owner.token, body: {} });
    expect(takeover.body.chat.assignee).toEqual({ id: owner.user.id, name: 'Owner' });
    // The same client id again: the stored reply, not a second one.
    const again = await call(http, 'POST', `/api/chats/${id}/messages`, { token: owner.token, body: { text: 'Hi, Ann here', client_id: 'c-1' } });
    expect(again.body.message.seq).toBe(reply.body.message.seq);

    await app.chat.close((await app.conversations.get(id))!);
    expect((await call(http, 'POST', `/api/chats/${id}/claim`, { token: owner.token })).status).toBe(409);
    expect((await call(http, 'POST', `/api/chats/${id}/messages`, { token: owner.token, body: { text: 'hello?' } })).status).toBe(409);
    const bot = await call(http, 'POST', '/api/chats', { token: owner.token, body: {} });
    expect(bot.status).toBe(201);
    expect((await call(http, 'POST', `/api/chats/${bot.body.chat.id}/resolve`, { token: owner.token })).status).toBe(409);
  });

  it('searches messages with FTS5, safely', async () => {
    const { http, ws } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const visitor = await openVisitor(ws);
    visitor.socket.send({ type: 'message', id: 's1', text: 'My <script>alert(1)</script> refund for the blue kettle, please' });
    await visitor.socket.nextOf('ack');
    const search = (q: string) => call<SearchResponse>(http, 'GET', `/api/search?q=${encodeURIComponent(q)}`, { token: owner.token });

    const hit = await search('kettle');
    expect(hit.status).toBe(200);
    expect(hit.body.results).toHaveLength(1);
    expect(hit.body.results[0]).toMatchObject({ conversation_id: visitor.welcome.conversation_id, seq: 2, role: 'user' });
    expect(hit.body.results[0]!.snippet).toContain('<mark>kettle</mark>');
    // The visitor's markup comes back escaped; only <mark> is HTML.
    expect(hit.body.results[0]!.snippet).toContain('&lt;script&gt;');
    expect(hit.body.results[0]!.snippet.replace(/<\/?mark>/g, '')).not.toMatch(/<[a-z]/i);
    expect((await search('refu')).body.results).toHaveLength(1);
    expect((await search('BLUE Kettle')).body.results).toHaveLength(1);
    expect((await search('blue teapot')).body.results).toHaveLength(0);
    // FTS syntax is text, never a query: none of these fail or match everything.
    for (const q of ['"', 'kettle OR NOT x', 'NEAR(kettle refund)', 'text:kettle', '*', 'kettle)', '^kettle', "'; DROP TABLE messages; --"]) {
      const answer = await search(q);
      expect(answer.status, q).toBe(200);
      expect(answer.body.results.length, q).toBeLessThanOrEqual(1);
    }
    expect(toFtsQuery('kettle OR x:*')).toBe('"kettle" "OR" "x"');
    expect(toFtsQuery('"refu')).toBe('"refu"*');
    expect(toFtsQuery('()*')).toBeUndefined();
  });

  it('exports leads as JSON and as escaped CSV that spreadsheets will not run', async () => {
    const { http, ws } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    await leaveLead(ws, '=HYPERLINK("http://evil.test","Click")', 'ann@shop.test', '+1 555 123 4567');
    await leaveLead(ws, 'Bo, "the Boss"', 'bo@shop.test', '555 000 1111');

    const json = await call(http, 'GET', '/api/leads', { token: owner.token });
    expect(json.body.leads).toHaveLength(2);
    expect(json.body.leads[0]).toMatchObject({ source: 'flow', data: { name: 'Bo, "the Boss"', email: 'bo@shop.test' } });
    expect((await call(http, 'GET', '/api/leads?q=ann@', { token: owner.token })).body.leads).toHaveLength(1);
    expect((await call(http, 'GET', '/api/leads?q=%25', { token: owner.token })).body.leads).toHaveLength(0);

    const csv = await call<string>(http, 'GET', '/api/leads?format=csv', { token: owner.token });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="leads-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,created_at,source,conversation_id,email,name,phone');
    expect(lines[1]).toContain(',bo@shop.test,"Bo, ""the Boss""",');
    expect(lines[2]).toContain(`,ann@shop.test,"'=HYPERLINK(""http://evil.test"",""Click"")",'+15551234567`);

    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a\nb')).toBe('"a\nb"');
    expect(csvCell(null)).toBe('');
    expect(toCsv([['a', 1, true]])).toBe('a,1,true\r\n');
  });

  it('transfers an external bot user to an agent with the company API key', async () => {
    const { app, http, agentWs } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const company = app.companies.defaultCompany();
    const rotated = await call<CompanyResponse>(http, 'PATCH', '/api/company', { token: owner.token, body: { rotate_api_key: true } });
    const apiKey = rotated.body.api_key!;
    expect(apiKey).toMatch(/^sk_/);
    expect(rotated.body.company.has_api_key).toBe(true);
    expect((await call(http, 'GET', '/api/company', { token: owner.token })).body).not.toHaveProperty('api_key');
    const agent = await openAgent(agentWs, owner.token);

    const body = { user_id: 'crm-42', company_id: company.id, context: 'VIP customer, asked about an invoice' };
    const first = await call(http, 'POST', '/api/transfer_to_agent', { body, headers: { 'x-api-key': apiKey } });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'waiting', queue_position: 1 });
    expect(first.body.chatbot_session).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    const handoff = await agent.socket.nextOf<{ type: 'handoff'; reason: string; chat: { id: string; handoff: { context: string } } }>('handoff');
    expect(handoff.reason).toBe('api');
    expect(handoff.chat.id).toBe(first.body.conversation_id);
    expect(handoff.chat.handoff.context).toBe('VIP customer, asked about an invoice');

    // The same user again (Bearer this time): the same conversation, no new session.
    const again = await call(http, 'POST', '/api/transfer_to_agent', { body, headers: { authorization: `Bearer ${apiKey}` } });
    expect(again.body).toEqual({ conversation_id: first.body.conversation_id, status: 'waiting', queue_position: 1 });

    // A system that numbers its users: 7 and "7" are one user, transferred once.
    const numbered = await call(http, 'POST', '/api/transfer_to_agent', { body: { user_id: 7, company_id: company.id }, headers: { 'x-api-key': apiKey } });
    expect(numbered.status).toBe(200);
    await agent.socket.nextOf('handoff');
    const sameAsString = await call(http, 'POST', '/api/transfer_to_agent', { body: { user_id: '7', company_id: company.id }, headers: { 'x-api-key': apiKey } });
    expect(sameAsString.body.conversation_id).toBe(numbered.body.conversation_id);
    expect(sameAsString.body.chatbot_session).toBeUndefined();

    // The caller relays with the session: the agent's reply comes back through the chat API.
    await call(http, 'POST', `/api/chats/${first.body.conversation_id}/messages`, { token: owner.token, body: { text: 'Hello from a person' } });
    const relay = await fetch(`${http}/api/chatbot/messages?chatbot_session=${first.body.chatbot_session}`);
    const relayed = (await relay.json()) as ChatbotMessagesResponse;
    expect(relayed.status).toBe('agent');
    expect(relayed.messages.filter((m) => m.role === 'agent').flatMap((m) => texts(m.components))).toEqual(['Hello from a person']);

    // A rotated key replaces the old one.
    const next = (await call<CompanyResponse>(http, 'PATCH', '/api/company', { token: owner.token, body: { rotate_api_key: true } })).body.api_key!;
    expect((await call(http, 'POST', '/api/transfer_to_agent', { body, headers: { 'x-api-key': apiKey } })).status).toBe(401);
    expect((await call(http, 'POST', '/api/transfer_to_agent', { body, headers: { 'x-api-key': next } })).status).toBe(200);
    expect((await call(http, 'POST', '/api/transfer_to_agent', { body: { ...body, extra: 1 }, headers: { 'x-api-key': next } })).status).toBe(400);
  });
});

describe('accounts and companies', () => {
  it('lets admins manage their agents, and agents only themselves', async () => {
    const { app, http } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const created = await call(http, 'POST', '/api/users', {
      token: owner.token,
      body: { email: 'Cara@Acme.test', name: 'Cara', password: 'cara-password-1', role: 'agent' },
    });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ email: 'cara@acme.test', role: 'agent', disabled: false });
    const dup = await call(http, 'POST', '/api/users', { token: owner.token, body: { email: 'cara@acme.test', name: 'C2', password: 'cara-password-2', role: 'agent' } });
    expect(dup.status).toBe(409);
    const short = await call(http, 'POST', '/api/users', { token: owner.token, body: { email: 'x@acme.test', name: 'X', password: 'short', role: 'agent' } });
    expect(short.status).toBe(400);
    const asOwner = await call(http, 'POST', '/api/users', { token: owner.token, body: { email: 'y@acme.test', name: 'Y', password: 'long-enough-1', role: 'owner' } });
    expect(asOwner.status).toBe(400);

    const cara = await login(http, 'cara@acme.test', 'cara-password-1');
    expect((await call(http, 'GET', '/api/users', { token: cara.token })).body.users.map((u: { name: string }) => u.name)).toEqual(['Owner', 'Cara']);
    expect((await call(http, 'POST', '/api/users', { token: cara.token, body: { email: 'z@acme.test', name: 'Z', password: 'long-enough-1', role: 'admin' } })).status).toBe(403);
    expect((await call(http, 'PATCH', `/api/users/${owner.user.id}`, { token: cara.token, body: { name: 'Hacked' } })).status).toBe(403);
    expect((await call(http, 'PATCH', `/api/users/${cara.user.id}`, { token: cara.token, body: { role: 'admin' } })).status).toBe(403);
    expect((await call(http, 'PATCH', `/api/users/${cara.user.id}`, { token: cara.token, body: { name: 'Cara B', password: 'new-password-1' } })).body.user.name).toBe('Cara B');
    expect(await app.users.checkPassword('cara@acme.test', 'new-password-1')).toBeDefined();
    expect((await call(http, 'DELETE', `/api/users/${owner.user.id}`, { token: owner.token })).status).toBe(403);
    expect((await call(http, 'PATCH', `/api/users/${cara.user.id}`, { token: owner.token, body: { role: 'admin' } })).body.user.role).toBe('admin');
    expect((await call(http, 'GET', '/api/company', { token: cara.token })).body.company.name).toBe('Default company');
    expect((await call(http, 'GET', '/api/companies', { token: cara.token })).status).toBe(403);
  });

  it('lets the owner add companies and admins change their own', async () => {
    const { app, http, ws } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const made = await call<CreateCompanyResponse>(http, 'POST', '/api/companies', {
      token: owner.token,
      body: { name: 'Delta', allowed_origins: ['https://delta.test'], admin: { email: 'boss@delta.test', name: 'Dee', password: 'delta-password-1' } },
    });
    expect(made.status).toBe(201);
    expect(made.body.company).toMatchObject({ name: 'Delta', allowed_origins: ['https://delta.test'], has_api_key: true, is_default: false });
    expect(made.body.api_key).toMatch(/^sk_/);
    expect(made.body.admin).toMatchObject({ email: 'boss@delta.test', role: 'admin', company_id: made.body.company.id });
    const taken = await call(http, 'POST', '/api/companies', { token: owner.token, body: { name: 'Echo', admin: { email: 'boss@delta.test', name: 'E', password: 'echo-password-1' } } });
    expect(taken.status).toBe(409);
    expect(app.companies.list().map((c) => c.name)).toEqual(['Default company', 'Delta']);
    expect((await call(http, 'POST', '/api/companies', { token: owner.token, body: { name: 'Bad', allowed_origins: ['javascript:alert(1)'] } })).status).toBe(400);

    const dee = await login(http, 'boss@delta.test', 'delta-password-1');
    const siteKey = made.body.company.site_key;
    const changed = await call<CompanyResponse>(http, 'PATCH', '/api/company', {
      token: dee.token,
      body: { name: 'Delta Ltd', allowed_origins: ['https://delta.test', 'https://www.delta.test'], rotate_site_key: true },
    });
    expect(changed.body.company).toMatchObject({ name: 'Delta Ltd', allowed_origins: ['https://delta.test', 'https://www.delta.test'] });
    expect(changed.body.company.site_key).not.toBe(siteKey);
    expect(changed.body).not.toHaveProperty('api_key');
    // The new site key serves the widget at once, the old one no longer does; the origins apply.
    const visitor = await openVisitor(ws, changed.body.company.site_key);
    expect(visitor.welcome.status).toBe('bot');
    expect((await fetch(`${http}/api/chatbot?site=${siteKey}`)).status).toBe(404);
    const cors = await fetch(`${http}/api/chatbot?site=${changed.body.company.site_key}`, { headers: { origin: 'https://evil.test' } });
    expect(cors.status).toBe(403);
    const b = await addCompany(app, http, 'Foxtrot');
    expect((await call(http, 'GET', '/api/company', { token: b.token })).body.company.name).toBe('Foxtrot');

    // A company made without an admin gets one from the owner; nobody else may staff another company.
    const bare = await call<CreateCompanyResponse>(http, 'POST', '/api/companies', { token: owner.token, body: { name: 'Golf' } });
    expect(bare.body).not.toHaveProperty('admin');
    const golfId = bare.body.company.id;
    const account = { email: 'lead@golf.test', name: 'Gail', password: 'golf-password-1', role: 'admin', company_id: golfId };
    expect((await call(http, 'POST', '/api/users', { token: dee.token, body: account })).status).toBe(403);
    expect((await call(http, 'POST', '/api/users', { token: owner.token, body: { ...account, company_id: 'no-such-company' } })).status).toBe(404);
    const staffed = await call(http, 'POST', '/api/users', { token: owner.token, body: account });
    expect(staffed.status).toBe(201);
    expect(staffed.body.user).toMatchObject({ email: 'lead@golf.test', role: 'admin', company_id: golfId });
    const gail = await login(http, 'lead@golf.test', 'golf-password-1');
    expect((await call(http, 'GET', '/api/company', { token: gail.token })).body.company.name).toBe('Golf');
    // An admin naming their own company is fine.
    const own = await call(http, 'POST', '/api/users', {
      token: gail.token,
      body: { email: 'agent@golf.test', name: 'Gus', password: 'golf-password-2', role: 'agent', company_id: golfId },
    });
    expect(own.status).toBe(201);
  });
});
