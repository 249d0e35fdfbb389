import { describe, expect, it } from 'vitest';
import type { AgentErrorFrame, MessageFrame } from '@parley/protocol';
import { TestSocket } from '../helper.js';
import { addAgent, addCompany, call, is, login, openAgent, openVisitor, OWNER, startAgentServer } from '../agent-helper.js';

/** One attempt on a route: what to send, and what another company's agent must get. */
interface Attempt {
  method: string;
  path: string;
  body?: unknown;
  /** What company B's admin gets: 404 for A's ids; for lists, 2xx with none of A's data; 403 where a role is missing. */
  asOther: number;
}

describe('tenant isolation', () => {
  it("never shows company A's conversations, messages, users, leads or events to company B or to anonymous callers", async () => {
    const { app, http, ws, agentWs } = await startAgentServer();
    const ownerA = await login(http, OWNER.email, OWNER.password);
    const companyA = app.companies.defaultCompany();
    const agentA = await addAgent(app, http, companyA.id, 'Alice');
    const b = await addCompany(app, http, 'Bravo');
    const agentB = await addAgent(app, http, b.company.id, 'Bob');

    // Company B's agents are online before anything happens at A.
    const bSocket = await openAgent(agentWs, agentB.token);
    const bAdminSocket = await openAgent(agentWs, b.token);
    expect(bAdminSocket.ready.online_agents.map((a) => a.name).sort()).toEqual(['Bob', 'Bravo Admin']);
    const aSocket = await openAgent(agentWs, agentA.token);

    // Company A is busy: a visitor gives lead data, asks for a person, an agent claims and replies.
    const visitor = await openVisitor(ws);
    const aChat = visitor.welcome.conversation_id;
    for (const [id, value] of [['a1', 'no'], ['a2', 'Zebulon Quartermaine'], ['a3', 'zeb@alpha.test'], ['a4', '+1 555 123 4567']] as const) {
      visitor.socket.send({ type: id === 'a1' ? 'action' : 'message', id, ...(id === 'a1' ? { value } : { text: value }) });
      await visitor.socket.next((f) => f.type === 'ack' && f.id === id);
    }
    await visitor.socket.next((f) => f.type === 'message' && texts(f).some((t) => t.includes('team will contact you')));
    visitor.socket.send({ type: 'message', id: 'a5', text: 'I need a human about the xylophone invoice' });
    await visitor.socket.next(is.type('state', { status: 'waiting' }));
    await aSocket.socket.nextOf('handoff');
    aSocket.socket.send({ type: 'claim', conversation_id: aChat });
    await visitor.socket.next(is.type('state', { status: 'agent' }));
    visitor.socket.send({ type: 'typing', on: true });
    aSocket.socket.send({ type: 'typing', conversation_id: aChat, on: true });
    aSocket.socket.send({ type: 'reply', id: 'r1', conversation_id: aChat, text: 'Hello Zebulon' });
    await aSocket.socket.nextOf('ack');
    aSocket.socket.send({ type: 'read', conversation_id: aChat, seq: 3 });
    await aSocket.socket.nextOf('read');

    const aMessage = (await app.db.selectFrom('messages').select('id').where('conversation_id', '=', aChat).where('role', '=', 'user').executeTakeFirstOrThrow()).id;
    const aLead = await app.db.selectFrom('leads').select('id').where('company_id', '=', companyA.id).executeTakeFirstOrThrow();
    // Company A has a webhook endpoint with a delivery, and an identity secret.
    const aHook = await call(http, 'POST', '/api/webhooks', { token: ownerA.token, body: { url: 'https://hooks.alpha-crm.test/parley', events: ['conversation.resolved'] } });
    expect(aHook.status).toBe(201);
    const aEndpoint = aHook.body.endpoint.id as string;
    const aDelivery = (await app.webhooks.sendTest(companyA.id, aEndpoint, 0)).id;
    const aIdentitySecret = (await call(http, 'GET', '/api/identity', { token: ownerA.token })).body.secret as string;
    const aNote = (await call(http, 'POST', `/api/chats/${aChat}/notes`, { token: ownerA.token, body: { text: 'Wombat internal note' } })).body.note.id as string;
    const aReply = (await call(http, 'POST', '/api/saved-replies', { token: ownerA.token, body: { shortcut: 'alpha', text: 'Quokka discount code' } })).body.reply
      .id as string;
    // Company A's own bot, with a draft in progress.
    const aFlow = {
      id: 'alpha-bot',
      name: 'Alpha bot',
      version: 1,
      start: 'hi',
      steps: { hi: { type: 'say', text: 'Aardvark greeting', next: 'bye' }, bye: { type: 'end' } },
    };
    expect((await call(http, 'PUT', '/api/company/flow', { token: ownerA.token, body: aFlow })).status).toBe(200);
    expect((await call(http, 'PUT', '/api/company/flow/draft', { token: ownerA.token, body: { ...aFlow, name: 'Alpha draft' } })).status).toBe(200);
    const secrets = [
      'Aardvark greeting',
      'Alpha draft',
      aChat,
      companyA.id,
      agentA.user.id,
      ownerA.user.id,
      'Zebulon',
      'xylophone',
      'alpha.test',
      aLead.id,
      companyA.siteKey,
      'alpha-crm',
      aEndpoint,
      aHook.body.secret,
      aIdentitySecret,
      'Quokka discount code',
      'Wombat internal note',
    ];

    const attempts: Attempt[] = [
      { method: 'GET', path: '/api/chats', asOther: 200 },
      { method: 'GET', path: '/api/chats?status=waiting', asOther: 200 },
      { method: 'GET', path: `/api/chats?assignee=${agentA.user.id}`, asOther: 200 },
      { method: 'POST', path: '/api/chats', body: {}, asOther: 201 },
      { method: 'GET', path: `/api/chats/${aChat}`, asOther: 404 },
      { method: 'POST', path: `/api/chats/${aChat}/claim`, body: {}, asOther: 404 },
      { method: 'POST', path: `/api/chats/${aChat}/resolve`, body: {}, asOther: 404 },
      { method: 'POST', path: `/api/chats/${aChat}/return-to-bot`, body: {}, asOther: 404 },
      { method: 'POST', path: `/api/chats/${aChat}/messages`, body: { text: 'Hijack' }, asOther: 404 },
      { method: 'GET', path: `/api/chats/${aChat}/notes`, asOther: 404 },
      { method: 'POST', path: `/api/chats/${aChat}/notes`, body: { text: 'Planted' }, asOther: 404 },
      { method: 'DELETE', path: `/api/chats/${aChat}/notes/${aNote}`, asOther: 404 },
      { method: 'GET', path: `/api/chats/${aChat}/transcript`, asOther: 404 },
      { method: 'GET', path: `/api/chats/${aChat}/transcript?format=json`, asOther: 404 },
      { method: 'DELETE', path: `/api/chats/${aChat}`, asOther: 404 },
      { method: 'GET', path: `/api/messages/${aChat}`, asOther: 404 },
      { method: 'PATCH', path: `/api/messages/${aMessage}`, body: { read: true }, asOther: 404 },
      { method: 'GET', path: '/api/search?q=xylophone', asOther: 200 },
      { method: 'GET', path: '/api/search?q=Zebulon', asOther: 200 },
      { method: 'GET', path: '/api/leads', asOther: 200 },
      { method: 'GET', path: '/api/leads?format=csv', asOther: 200 },
      { method: 'GET', path: '/api/leads?format=jsonl', asOther: 200 },
      { method: 'GET', path: `/api/leads?conversation_id=${aChat}`, asOther: 200 },
      { method: 'GET', path: `/api/leads/${aLead.id}`, asOther: 404 },
      { method: 'GET', path: '/api/webhooks', asOther: 200 },
      { method: 'POST', path: '/api/webhooks', body: { url: 'https://hooks.bravo.test/x', events: ['lead.created'] }, asOther: 201 },
      { method: 'GET', path: `/api/webhooks/${aEndpoint}`, asOther: 404 },
      { method: 'PATCH', path: `/api/webhooks/${aEndpoint}`, body: { rotate_secret: true }, asOther: 404 },
      { method: 'POST', path: `/api/webhooks/${aEndpoint}/test`, body: {}, asOther: 404 },
      { method: 'GET', path: `/api/webhooks/${aEndpoint}/deliveries`, asOther: 404 },
      { method: 'GET', path: `/api/webhooks/${aEndpoint}/deliveries/${aDelivery}`, asOther: 404 },
      { method: 'POST', path: `/api/webhooks/${aEndpoint}/deliveries/${aDelivery}/redeliver`, body: {}, asOther: 404 },
      { method: 'DELETE', path: `/api/webhooks/${aEndpoint}`, asOther: 404 },
      { method: 'GET', path: '/api/saved-replies', asOther: 200 },
      { method: 'PATCH', path: `/api/saved-replies/${aReply}`, body: { text: 'Hijacked' }, asOther: 404 },
      { method: 'DELETE', path: `/api/saved-replies/${aReply}`, asOther: 404 },
      { method: 'GET', path: '/api/identity', asOther: 200 },
      { method: 'PATCH', path: '/api/identity', body: { rotate_secret: true }, asOther: 200 },
      { method: 'GET', path: '/api/users', asOther: 200 },
      { method: 'POST', path: '/api/users', body: { email: 'new@bravo.test', name: 'New', password: 'new-password-1', role: 'agent' }, asOther: 201 },
      {
        method: 'POST',
        path: '/api/users',
        body: { email: 'mole@bravo.test', name: 'Mole', password: 'mole-password-1', role: 'admin', company_id: companyA.id },
        asOther: 403,
      },
      { method: 'PATCH', path: `/api/users/${agentA.user.id}`, body: { disabled: true }, asOther: 404 },
      { method: 'PATCH', path: `/api/users/${ownerA.user.id}`, body: { name: 'Pwned' }, asOther: 404 },
      { method: 'DELETE', path: `/api/users/${agentA.user.id}`, asOther: 404 },
      { method: 'GET', path: '/api/company', asOther: 200 },
      { method: 'PATCH', path: '/api/company', body: { name: 'Bravo Ltd' }, asOther: 200 },
      { method: 'GET', path: '/api/companies', asOther: 403 },
      { method: 'POST', path: '/api/companies', body: { name: 'Sneaky' }, asOther: 403 },
      { method: 'GET', path: '/api/auth/verify', asOther: 200 },
      { method: 'GET', path: '/api/ai/config', asOther: 200 },
      { method: 'PUT', path: '/api/ai/config', body: { system_prompt: 'Bravo only' }, asOther: 200 },
      { method: 'POST', path: '/api/ai/test', body: { message: 'Zebulon?' }, asOther: 200 },
      { method: 'GET', path: '/api/company/flow', asOther: 200 },
      { method: 'GET', path: '/api/company/flow/export', asOther: 200 },
      { method: 'GET', path: '/api/company/flow/versions', asOther: 200 },
      { method: 'GET', path: '/api/company/flow/versions/2', asOther: 404 },
      { method: 'POST', path: '/api/company/flow/versions/2/publish', body: {}, asOther: 404 },
      { method: 'GET', path: '/api/company/flow/draft', asOther: 200 },
      { method: 'POST', path: '/api/company/flow/try', body: {}, asOther: 201 },
    ];

    for (const attempt of attempts) {
      const label = `${attempt.method} ${attempt.path}`;
      const anonymous = await call(http, attempt.method, attempt.path, { body: attempt.body });
      expect(anonymous.status, `anonymous ${label}`).toBe(401);
      expect(anonymous.body, `anonymous ${label}`).toMatchObject({ code: 'unauthorized' });

      const other = await call(http, attempt.method, attempt.path, { token: b.token, body: attempt.body });
      expect(other.status, `company B: ${label}`).toBe(attempt.asOther);
      const text = typeof other.body === 'string' ? other.body : JSON.stringify(other.body);
      for (const secret of secrets) expect(text, `company B: ${label} leaks ${secret}`).not.toContain(secret);
    }

    // Send-lead: an agent's token is no API key; a post with no key is the default company's (A's).
    expect((await call(http, 'POST', '/api/send-lead', { token: b.token, body: { email: 'spoof@bravo.test' } })).status).toBe(401);
    expect((await call(http, 'POST', '/send-lead', { body: { email: 'keyless@alpha.test' } })).status).toBe(200);
    expect(JSON.stringify((await call(http, 'GET', '/api/leads', { token: b.token })).body)).not.toContain('keyless@alpha.test');
    // A's bot is as A left it.
    const aNow = await call(http, 'GET', '/api/company/flow', { token: ownerA.token });
    expect(aNow.body).toMatchObject({ version: 2, flow: aFlow });

    // The real-time channel: anonymous callers are refused before the upgrade.
    await expect(TestSocket.open(agentWs)).rejects.toThrow('HTTP 401');
    await expect(TestSocket.open(`${agentWs}?token=`)).rejects.toThrow('HTTP 401');

    // The API key route: B's key cannot name company A; no key is 401; A's key cannot name B.
    const transfer = (key: string | undefined, companyId: string) =>
      call(http, 'POST', '/api/transfer_to_agent', {
        body: { user_id: 'u-1', company_id: companyId, context: 'x' },
        ...(key ? { headers: { 'x-api-key': key } } : {}),
      });
    expect((await transfer(undefined, companyA.id)).status).toBe(401);
    expect((await transfer('sk_not-a-real-key', companyA.id)).status).toBe(401);
    expect((await transfer(b.apiKey, companyA.id)).status).toBe(404);
    const aKey = (await app.companies.update(companyA.id, { rotateApiKey: true })).apiKey!;
    expect((await transfer(aKey, b.company.id)).status).toBe(404);

    // The REST chat API: B's key reaches none of A's conversations, and A's AI settings did not move.
    const restA = await call(http, 'POST', '/api/chat-message', {
      body: { message: 'Hello', user_id: 'zeb', message_id: 'z1', message_count: 0 },
      headers: { 'x-api-key': aKey },
    });
    expect(restA.status).toBe(200);
    const restId = restA.body.conversation_id as string;
    for (const id of [restId, aChat]) {
      const history = await call(http, 'GET', `/api/get-conversation-history/${id}`, { headers: { 'x-api-key': b.apiKey } });
      expect(history.status).toBe(404);
      const post = await call(http, 'POST', '/api/chat-message', {
        body: { message: 'Hijack', user_id: 'zeb', message_id: 'h1', message_count: 1, conversation_id: id },
        headers: { 'x-api-key': b.apiKey },
      });
      expect(post.status).toBe(404);
    }
    expect((await call(http, 'GET', '/api/ai/config', { token: ownerA.token })).body.system_prompt).toBe('');

    // B's agent sockets try A's ids: every frame is refused as not found, and A is untouched.
    for (const frame of [
      { type: 'claim', conversation_id: aChat },
      { type: 'reply', id: 'x1', conversation_id: aChat, text: 'Hijack' },
      { type: 'read', conversation_id: aChat, seq: 1 },
      { type: 'typing', conversation_id: aChat, on: true },
    ]) {
      bSocket.socket.send(frame);
      expect((await bSocket.socket.nextOf<AgentErrorFrame>('error')).code, frame.type).toBe('not_found');
    }
    visitor.socket.send({ type: 'ping', t: 1 });
    await visitor.socket.nextOf('pong');
    expect(visitor.socket.frames.filter((f) => f.type === 'message' && (f as MessageFrame).message.role === 'agent')).toHaveLength(1);
    const aState = await app.db.selectFrom('conversations').select(['status', 'assignee_id']).where('id', '=', aChat).executeTakeFirstOrThrow();
    expect(aState).toEqual({ status: 'agent', assignee_id: agentA.user.id });
    expect(await app.users.active(agentA.user.id, companyA.id)).toBeDefined();
    expect(app.companies.defaultCompany().name).not.toBe('Bravo Ltd');
    // A's webhook and identity secret are untouched; B's delivery ids do not reach A's log.
    expect((await call(http, 'GET', `/api/webhooks/${aEndpoint}`, { token: ownerA.token })).status).toBe(200);
    expect((await call(http, 'GET', '/api/identity', { token: ownerA.token })).body.secret).toBe(aIdentitySecret);
    const bHook = (await call(http, 'GET', '/api/webhooks', { token: b.token })).body.endpoints[0].id as string;
    expect((await call(http, 'GET', `/api/webhooks/${aEndpoint}/deliveries`, { token: b.token })).status).toBe(404);
    expect((await call(http, 'GET', `/api/webhooks/${bHook}/deliveries/${aDelivery}`, { token: b.token })).status).toBe(404);
    // A visitor session of company A cannot link a lead to B, nor B's key post into A.
    const bLead = await call(http, 'POST', '/api/send-lead', { body: { email: 'x@bravo.test' }, headers: { 'x-api-key': b.apiKey, 'x-parley-session': visitor.welcome.session } });
    expect(bLead.status).toBe(200);
    const bLeads = (await call(http, 'GET', '/api/leads', { token: b.token })).body.leads;
    expect(bLeads.map((l: { conversation_id: string | null }) => l.conversation_id)).toEqual([null]);

    // Zero frames about company A reached company B's sockets, while A's own agent saw everything.
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const socket of [bSocket.socket, bAdminSocket.socket]) {
      const seen = JSON.stringify(socket.frames);
      for (const secret of secrets) expect(seen).not.toContain(secret);
      expect(socket.frames.filter((f) => f.type === 'agent_presence' && f.name === 'Alice')).toHaveLength(0);
    }
    const aSeen = JSON.stringify(aSocket.socket.frames);
    expect(aSeen).toContain('xylophone');
    expect(aSocket.socket.frames.some((f) => f.type === 'typing' && (f as { conversation_id?: string }).conversation_id === aChat)).toBe(true);
    // B's own activity did reach B (the chat B created over REST).
    expect(bSocket.socket.frames.some((f) => f.type === 'conversation')).toBe(true);
  });

  it("refuses a visitor session of company A on company B's site", async () => {
    const { app, http, ws } = await startAgentServer();
    const b = await addCompany(app, http, 'Bravo');
    const visitor = await openVisitor(ws);
    const other = await TestSocket.open(`${ws}?site=${b.company.siteKey}`);
    other.send({ type: 'hello', session: visitor.welcome.session });
    expect((await other.nextOf<AgentErrorFrame>('error')).code).toBe('not_found');
  });
});

function texts(frame: { type: string; [key: string]: unknown }): string[] {
  const message = (frame as { message?: { components: Array<{ type: string; payload: { text?: string } }> } }).message;
  return (message?.components ?? []).map((c) => c.payload.text ?? '');
}
