import { describe, expect, it } from 'vitest';
import type { AgentErrorFrame } from '@parley/protocol';
import { TestSocket } from '../helper.js';
import { addCompany, call, is, login, openAgent, openVisitor, OWNER, startAgentServer } from '../agent-helper.js';

describe('the agent socket', () => {
  it('checks the Origin of browsers: its own origin, the company origins and PARLEY_ADMIN_ORIGINS', async () => {
    const { app, http, agentWs } = await startAgentServer({ adminOrigins: ['http://localhost:5173'] });
    const owner = await login(http, OWNER.email, OWNER.password);
    const url = `${agentWs}?token=${owner.token}`;
    const own = new URL(http).origin;
    await expect(TestSocket.open(url, { origin: 'https://evil.test' })).rejects.toThrow('HTTP 403');
    expect((await openAgent(agentWs, owner.token, { origin: own })).ready.type).toBe('ready');
    expect((await openAgent(agentWs, owner.token, { origin: 'http://localhost:5173' })).ready.type).toBe('ready');
    await app.companies.update(app.companies.defaultCompany().id, { allowedOrigins: ['https://shop.test'] });
    expect((await openAgent(agentWs, owner.token, { origin: 'https://shop.test' })).ready.type).toBe('ready');
    // Another company's origin is not this company's.
    const b = await addCompany(app, http, 'Bravo');
    await app.companies.update(b.company.id, { allowedOrigins: ['https://bravo.test'] });
    await expect(TestSocket.open(url, { origin: 'https://bravo.test' })).rejects.toThrow('HTTP 403');
  });

  it('answers malformed frames, closes after ten in a row (1008) and on a frame over 64 KiB (1009)', async () => {
    const { http, agentWs } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const { socket } = await openAgent(agentWs, owner.token);
    const bad: Array<[unknown, string]> = [
      ['not json', 'bad_request'],
      [{ type: 'launch' }, 'bad_request'],
      [{ type: 'reply', id: 'r1', conversation_id: 'x', text: '' }, 'validation_failed'],
      [{ type: 'reply', id: 'r1', conversation_id: 'x', text: 'hi', role: 'system' }, 'validation_failed'],
      [{ type: 'read', conversation_id: 'x', seq: 0 }, 'validation_failed'],
      [{ type: 'claim', conversation_id: 'nope' }, 'not_found'],
    ];
    for (const [frame, code] of bad) {
      socket.send(frame);
      expect((await socket.nextOf<AgentErrorFrame>('error')).code, JSON.stringify(frame)).toBe(code);
    }
    socket.send({ type: 'ping', t: 7 });
    expect(await socket.nextOf('pong')).toEqual({ type: 'pong', t: 7 });
    for (let i = 0; i < 10; i++) socket.send('{');
    expect(await socket.closed).toBe(1008);

    const big = await openAgent(agentWs, owner.token);
    big.socket.send({ type: 'reply', id: 'big', conversation_id: 'x', text: 'x'.repeat(70 * 1024) });
    expect(await big.socket.closed).toBe(1009);
  });

  it('rate-limits a flooding tab, and the API per account', async () => {
    const { http, ws, agentWs } = await startAgentServer({ limits: { wsFramesPerSecond: 2, agentRequestsPerMinute: 4 } });
    const owner = await login(http, OWNER.email, OWNER.password);
    const visitor = await openVisitor(ws);
    const { socket } = await openAgent(agentWs, owner.token);
    for (let i = 0; i < 8; i++) socket.send({ type: 'read', conversation_id: visitor.welcome.conversation_id, seq: 1 });
    expect((await socket.nextOf<AgentErrorFrame>('error')).code).toBe('rate_limited');
    for (let i = 0; i < 4; i++) expect((await call(http, 'GET', '/api/chats', { token: owner.token })).status).toBe(200);
    const limited = await call(http, 'GET', '/api/chats', { token: owner.token });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
  });

  it("tells the visitor the agent stopped typing when the agent's tab closes", async () => {
    const { http, ws, agentWs } = await startAgentServer();
    const owner = await login(http, OWNER.email, OWNER.password);
    const visitor = await openVisitor(ws);
    const { socket } = await openAgent(agentWs, owner.token);
    socket.send({ type: 'claim', conversation_id: visitor.welcome.conversation_id });
    await visitor.socket.next(is.type('state', { status: 'agent' }));
    socket.send({ type: 'typing', conversation_id: visitor.welcome.conversation_id, on: true });
    expect(await visitor.socket.nextOf('typing')).toEqual({ type: 'typing', role: 'agent', on: true, name: 'Owner' });
    socket.close();
    expect(await visitor.socket.nextOf('typing')).toEqual({ type: 'typing', role: 'agent', on: false, name: 'Owner' });
  });
});
