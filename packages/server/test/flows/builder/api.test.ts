import { describe, expect, it } from 'vitest';
import { SECRET_MASK } from '@parley/protocol';
import { addAgent, addCompany, call, login, openVisitor, OWNER, startAgentServer } from '../../agent-helper.js';

/** A three-step bot an admin might write. */
function shopBot(greeting = 'Welcome to Alpha Shop! What is your name?') {
  return {
    id: 'shop',
    name: 'Shop bot',
    version: 1,
    start: 'hello',
    steps: {
      hello: { type: 'input', kind: 'text', text: greeting, var: 'name', next: 'thanks' },
      thanks: { type: 'say', text: 'Thanks {{name}}!', next: 'bye' },
      bye: { type: 'end', text: 'Bye for now.' },
    },
  };
}

type Frame = { type: string; [key: string]: unknown };
function texts(frame: Frame): string[] {
  const message = (frame as { message?: { components: Array<{ payload: { text?: string } }> } }).message;
  return (message?.components ?? []).map((c) => c.payload.text ?? '');
}
const botSays = (needle: string) => (f: Frame) => f.type === 'message' && texts(f).some((t) => t.includes(needle));

describe('a company manages its own bot', () => {
  it('publishes a valid flow as a new version: new visitors get it, a conversation already running keeps the old one', async () => {
    const { app, http, ws } = await startAgentServer();
    const admin = await login(http, OWNER.email, OWNER.password);

    const before = await call(http, 'GET', '/api/company/flow', { token: admin.token });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ version: 1, flow: { id: 'support' } });

    // A visitor starts talking to the demo bot.
    const early = await openVisitor(ws);
    await early.socket.next(botSays('Parley support bot'));

    const put = await call(http, 'PUT', '/api/company/flow', { token: admin.token, body: shopBot() });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ version: 2 });
    expect((await call(http, 'GET', '/api/company/flow', { token: admin.token })).body).toMatchObject({ version: 2, flow: shopBot() });
    // Publishing the same document again changes nothing.
    expect((await call(http, 'PUT', '/api/company/flow', { token: admin.token, body: shopBot() })).body).toEqual({ version: 2 });

    const late = await openVisitor(ws);
    await late.socket.next(botSays('Welcome to Alpha Shop'));
    late.socket.send({ type: 'message', id: 'm2', text: 'Ada' });
    await late.socket.next(botSays('Thanks Ada!'));

    // The early conversation still runs version 1: "no" leads to the demo's sign-up questions.
    early.socket.send({ type: 'action', id: 'm2', value: 'no' });
    await early.socket.next(botSays("Let's get you set up"));
    expect(app.flows.active(app.companies.defaultCompany().id)?.version).toBe(2);
  });

  it('refuses an invalid flow with every problem pinned to its step and field, and changes nothing', async () => {
    const { http } = await startAgentServer();
    const admin = await login(http, OWNER.email, OWNER.password);
    const flow = {
      id: 'broken',
      name: 'Broken',
      version: 1,
      start: 'ask',
      steps: {
        ask: {
          type: 'choice',
          text: 'Pick one',
          options: [
            { label: 'A', value: 'a', next: 'nowhere' },
            { label: 'B', value: 'b', next: 'code' },
          ],
        },
        code: { type: 'input', kind: 'text', text: 'Code?', var: 'code', validate: { pattern: '([' }, next: 'shop' },
        shop: { type: 'products', text: 'Pick', var: 'p', items: ['lamp'], next: 'ping' },
        ping: { type: 'say', text: 'ping', next: 'pong' },
        pong: { type: 'say', text: 'pong', next: 'ping' },
        orphan: { type: 'end' },
        empty: { type: 'say', text: '', next: 'ping' },
      },
    };
    const answer = await call(http, 'PUT', '/api/company/flow', { token: admin.token, body: flow });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'validation_failed', message: 'The flow has 7 problems; nothing was published' });
    expect(answer.body.problems).toEqual([
      { step: 'empty', field: 'text', message: 'must not have fewer than 1 characters' },
      { step: 'ask', field: 'options.0.next', message: 'leads to "nowhere", which is not a step' },
      { step: 'code', field: 'validate.pattern', message: 'not a valid regular expression' },
      { step: 'shop', field: 'items.0', message: '"lamp" is not a product of the catalog' },
      { step: 'orphan', field: '', message: 'unreachable: no path from the start leads here' },
      { step: 'empty', field: '', message: 'unreachable: no path from the start leads here' },
      { step: 'ping', field: 'next', message: 'loop without waiting for the visitor: ping -> pong -> ping' },
    ]);
    const now = await call(http, 'GET', '/api/company/flow', { token: admin.token });
    expect(now.body).toMatchObject({ version: 1, flow: { id: 'support' } });
    expect((await call(http, 'GET', '/api/company/flow/versions', { token: admin.token })).body.versions).toHaveLength(1);
  });

  it('keeps every version, rolls back to one, and keeps a draft apart from what is published', async () => {
    const { http } = await startAgentServer();
    const admin = await login(http, OWNER.email, OWNER.password);
    await call(http, 'PUT', '/api/company/flow', { token: admin.token, body: shopBot('Version two') });
    await call(http, 'PUT', '/api/company/flow', { token: admin.token, body: shopBot('Version three') });

    const list = await call(http, 'GET', '/api/company/flow/versions', { token: admin.token });
    expect(list.body.versions.map((v: { version: number; active: boolean }) => [v.version, v.active])).toEqual([
      [3, true],
      [2, false],
      [1, false],
    ]);
    expect(list.body.versions[0].published_by).toBe(admin.user.id);
    const two = await call(http, 'GET', '/api/company/flow/versions/2', { token: admin.token });
    expect(two.body.flow.steps.hello.text).toBe('Version two');

    expect((await call(http, 'POST', '/api/company/flow/versions/2/publish', { token: admin.token })).body).toEqual({ version: 2 });
    expect((await call(http, 'GET', '/api/company/flow', { token: admin.token })).body.flow.steps.hello.text).toBe('Version two');
    expect((await call(http, 'POST', '/api/company/flow/versions/9/publish', { token: admin.token })).status).toBe(404);

    // A draft is kept even while it is invalid, with its problems; the published flow is untouched.
    const draft = { ...shopBot('Draft'), start: 'nope' };
    const saved = await call(http, 'PUT', '/api/company/flow/draft', { token: admin.token, body: draft });
    expect(saved.status).toBe(200);
    expect(saved.body.problems).toEqual([{ step: null, field: 'start', message: '"nope" is not a step' }]);
    expect((await call(http, 'GET', '/api/company/flow/draft', { token: admin.token })).body.draft).toEqual(draft);
    expect((await call(http, 'GET', '/api/company/flow', { token: admin.token })).body.version).toBe(2);

    // Export, then import the file as the next version.
    const exported = await call(http, 'GET', '/api/company/flow/export', { token: admin.token });
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="shop-v2.json"');
    expect((await call(http, 'PUT', '/api/company/flow', { token: admin.token, body: { ...exported.body, name: 'Imported' } })).body).toEqual({ version: 4 });
    expect((await call(http, 'DELETE', '/api/company/flow/draft', { token: admin.token })).status).toBe(204);
    expect((await call(http, 'GET', '/api/company/flow/draft', { token: admin.token })).body).toEqual({ draft: null, updated_at: null, problems: [] });
  });

  it('stores the secret headers of an http step sealed and never shows them again', async () => {
    const { app, http } = await startAgentServer();
    const admin = await login(http, OWNER.email, OWNER.password);
    const flow = {
      id: 'orders',
      name: 'Orders',
      version: 1,
      start: 'fetch',
      steps: {
        fetch: {
          type: 'http',
          method: 'GET',
          url: 'https://shop.example/orders/{{order}}',
          headers: { Authorization: 'Bearer sk-live-very-secret', Accept: 'application/json' },
          secret_headers: ['Authorization'],
          next: 'done',
        },
        done: { type: 'end' },
      },
    };
    expect((await call(http, 'PUT', '/api/company/flow', { token: admin.token, body: flow })).status).toBe(200);
    const shown = await call(http, 'GET', '/api/company/flow', { token: admin.token });
    expect(shown.body.flow.steps.fetch.headers).toEqual({ Authorization: SECRET_MASK, Accept: 'application/json' });
    const stored = await app.db.selectFrom('flows').select('definition').where('is_active', '=', 1).executeTakeFirstOrThrow();
    expect(stored.definition).not.toContain('sk-live');

    // Sending the mask back keeps the secret; a changed text publishes a new version.
    const again = structuredClone(shown.body.flow);
    again.name = 'Orders v2';
    expect((await call(http, 'PUT', '/api/company/flow', { token: admin.token, body: again })).body).toEqual({ version: 3 });
    const active = app.flows.active(app.companies.defaultCompany().id)!.flow.steps.fetch;
    expect(active?.type === 'http' && active.headers?.Authorization?.startsWith('sealed:')).toBe(true);

    // A mask for a header that never had a value cannot be published.
    const masked = structuredClone(again);
    masked.steps.fetch.headers['X-Api-Key'] = SECRET_MASK;
    masked.steps.fetch.secret_headers.push('X-Api-Key');
    const refused = await call(http, 'PUT', '/api/company/flow', { token: admin.token, body: masked });
    expect(refused.status).toBe(400);
    expect(refused.body.problems).toEqual([{ step: 'fetch', field: 'headers.X-Api-Key', message: 'type the secret value again (it cannot be shown)' }]);
  });

  it("keeps each company's bot to itself: agents get 403, another company's admin reaches only their own", async () => {
    const { app, http, ws } = await startAgentServer();
    const ownerA = await login(http, OWNER.email, OWNER.password);
    const companyA = app.companies.defaultCompany();
    await call(http, 'PUT', '/api/company/flow', { token: ownerA.token, body: shopBot('Alpha secret greeting') });
    const agentA = await addAgent(app, http, companyA.id, 'Alice');
    const b = await addCompany(app, http, 'Bravo');
    const agentB = await addAgent(app, http, b.company.id, 'Bob');

    for (const token of [agentA.token, agentB.token]) {
      for (const [method, path, body] of [
        ['GET', '/api/company/flow'],
        ['PUT', '/api/company/flow', shopBot('Hijack')],
        ['GET', '/api/company/flow/versions'],
        ['GET', '/api/company/flow/versions/1'],
        ['POST', '/api/company/flow/versions/1/publish'],
        ['GET', '/api/company/flow/draft'],
        ['PUT', '/api/company/flow/draft', shopBot('Hijack')],
        ['GET', '/api/company/flow/export'],
      ] as const) {
        const answer = await call(http, method, path, { token, ...(body ? { body } : {}) });
        expect(answer.status, `${method} ${path}`).toBe(403);
      }
    }
    expect((await call(http, 'GET', '/api/company/flow')).status).toBe(401);

    // Bravo's admin sees Bravo's demo bot, version 1 only; A's version 2 does not exist for them.
    const bFlow = await call(http, 'GET', '/api/company/flow', { token: b.token });
    expect(bFlow.body).toMatchObject({ version: 1, flow: { id: 'support' } });
    expect(JSON.stringify(bFlow.body)).not.toContain('Alpha secret greeting');
    expect((await call(http, 'GET', '/api/company/flow/versions/2', { token: b.token })).status).toBe(404);
    expect((await call(http, 'POST', '/api/company/flow/versions/2/publish', { token: b.token })).status).toBe(404);
    expect((await call(http, 'PUT', '/api/company/flow', { token: b.token, body: shopBot('Bravo greeting') })).body).toEqual({ version: 2 });

    // A is untouched; each company's visitors get their own bot.
    expect((await call(http, 'GET', '/api/company/flow', { token: ownerA.token })).body.flow.steps.hello.text).toBe('Alpha secret greeting');
    const visitorA = await openVisitor(ws, companyA.siteKey);
    await visitorA.socket.next(botSays('Alpha secret greeting'));
    const visitorB = await openVisitor(ws, b.company.siteKey);
    await visitorB.socket.next(botSays('Bravo greeting'));
  });

  it('runs a draft in a "Try it" conversation that the inbox never shows, from any step', async () => {
    const { http, ws } = await startAgentServer();
    const admin = await login(http, OWNER.email, OWNER.password);
    await call(http, 'PUT', '/api/company/flow/draft', { token: admin.token, body: shopBot('Draft greeting') });

    const tried = await call(http, 'POST', '/api/company/flow/try', { token: admin.token, body: {} });
    expect(tried.status).toBe(201);
    const visitor = await openVisitor(ws, tried.body.site_key, tried.body.session_token);
    expect(visitor.welcome).toMatchObject({ conversation_id: tried.body.conversation_id, resumed: true });
    visitor.socket.send({ type: 'message', id: 'm1', text: 'Grace' });
    await visitor.socket.next(botSays('Thanks Grace!'));

    const fromStep = await call(http, 'POST', '/api/company/flow/try', { token: admin.token, body: { flow: shopBot(), start_at: 'thanks' } });
    const second = await openVisitor(ws, fromStep.body.site_key, fromStep.body.session_token);
    expect(second.welcome.is_terminal).toBe(true);

    const chats = await call(http, 'GET', '/api/chats', { token: admin.token });
    expect(chats.body.chats.map((c: { id: string }) => c.id)).not.toContain(tried.body.conversation_id);
    expect((await call(http, 'GET', `/api/chats/${tried.body.conversation_id}`, { token: admin.token })).status).toBe(404);
    expect((await call(http, 'GET', '/api/search?q=Grace', { token: admin.token })).body.results).toEqual([]);
    // Still version 1 live: trying publishes nothing.
    expect((await call(http, 'GET', '/api/company/flow', { token: admin.token })).body.version).toBe(1);
    const broken = await call(http, 'POST', '/api/company/flow/try', { token: admin.token, body: { flow: { ...shopBot(), start: 'x' } } });
    expect(broken.status).toBe(400);
    expect(broken.body.problems).toContainEqual({ step: null, field: 'start', message: '"x" is not a step' });
  });
});
