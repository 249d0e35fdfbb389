import { describe, expect, it } from 'vitest';
import type { IdentityFrame, MessageFrame, WelcomeFrame } from '@parley/protocol';
import { identityHash, signIdentityToken, verifyIdentityToken } from '../../src/lib/identity-proof.js';
import { TestSocket } from '../helper.js';
import { addAgent, addCompany, call, is, login, OWNER, startAgentServer } from '../agent-helper.js';

type Claim = { user_id?: string | number; name?: string; email?: string; hash?: string; token?: string };

const inAnHour = (s = 600) => Math.floor(Date.now() / 1000) + s;

async function setup() {
  const server = await startAgentServer();
  const owner = await login(server.http, OWNER.email, OWNER.password);
  const settings = await call(server.http, 'GET', '/api/identity', { token: owner.token });
  expect(settings.status).toBe(200);
  return { ...server, owner, secret: settings.body.secret as string };
}

/** A visitor device: hello (with a session and an identity, if given), then the welcome and the identity answer. */
async function device(ws: string, identity?: Claim, session?: string) {
  const socket = await TestSocket.open(ws);
  socket.send({ type: 'hello', ...(session ? { session } : {}), ...(identity ? { identity } : {}) });
  const welcome = await socket.nextOf<WelcomeFrame>('welcome');
  const answer = identity ? await socket.nextOf<IdentityFrame>('identity') : undefined;
  return { socket, welcome, answer };
}

const visitorOf = async (http: string, token: string, chat: string) => (await call(http, 'GET', `/api/chats/${chat}`, { token })).body.chat.visitor;

describe('identity verification', () => {
  it('shows the secret to admins only, makes it once, and rotates it', async () => {
    const { app, http, owner, secret } = await setup();
    expect(secret).toMatch(/^is_[A-Za-z0-9_-]{40,}$/);
    expect((await call(http, 'GET', '/api/identity', { token: owner.token })).body.secret).toBe(secret);
    const stored = await app.db.selectFrom('identity_settings').select('secret_sealed').executeTakeFirstOrThrow();
    expect(stored.secret_sealed).not.toContain(secret.slice(3));
    const agent = await addAgent(app, http, app.companies.defaultCompany().id, 'Ada');
    expect((await call(http, 'GET', '/api/identity', { token: agent.token })).status).toBe(403);
    expect((await call(http, 'GET', '/api/identity')).status).toBe(401);
    const rotated = await call(http, 'PATCH', '/api/identity', { token: owner.token, body: { rotate_secret: true } });
    expect(rotated.body.secret).not.toBe(secret);
    expect(rotated.body.enforce).toBe(false);
  });

  it('accepts a hash and a token made with the secret, and agents see the visitor as verified', async () => {
    const { http, ws, owner, secret } = await setup();
    const byHash = await device(ws, { user_id: 'u-42', name: 'Ann Lee', email: 'ann@shop.test', hash: identityHash('u-42', secret) });
    expect(byHash.answer).toEqual({ type: 'identity', verified: true, user_id: 'u-42' });
    expect(await visitorOf(http, owner.token, byHash.welcome.conversation_id)).toMatchObject({
      identity: { user_id: 'u-42', name: 'Ann Lee', email: 'ann@shop.test', verified: true },
    });
    const token = signIdentityToken({ sub: 'u-77', name: 'Bo', email: 'bo@shop.test', exp: inAnHour() }, secret);
    const byToken = await device(ws, { token });
    expect(byToken.answer).toEqual({ type: 'identity', verified: true, user_id: 'u-77' });
    const list = (await call(http, 'GET', '/api/chats', { token: owner.token })).body.chats;
    expect(list.find((c: { id: string }) => c.id === byToken.welcome.conversation_id).visitor.identity).toMatchObject({ user_id: 'u-77', name: 'Bo', verified: true });
  });

  it('refuses a wrong hash, an expired or long-lived token, another secret and alg none: kept as unverified', async () => {
    const { http, ws, owner, secret } = await setup();
    const cases: Array<[Claim, string]> = [
      [{ user_id: 'u-42', hash: identityHash('u-43', secret) }, 'The identity hash does not match'],
      [{ user_id: 'u-42', hash: 'abc' }, 'The hash must be 64 hexadecimal characters (HMAC-SHA256)'],
      [{ token: signIdentityToken({ sub: 'u-42', exp: inAnHour(-120) }, secret) }, 'The token has expired'],
      [{ token: signIdentityToken({ sub: 'u-42', exp: inAnHour(24 * 3600) }, secret) }, 'The token lives too long: "exp" may be at most an hour ahead'],
      [{ token: signIdentityToken({ sub: 'u-42', exp: inAnHour() }, 'is_another-secret') }, 'The token signature does not match'],
      [{ token: signIdentityToken({ sub: 'u-42', exp: inAnHour() }, '', { alg: 'none' }).replace(/[^.]+$/, '') }, 'The token must be signed with HS256'],
      [{ token: signIdentityToken({ sub: 'u-42' }, secret) }, 'The token needs an "exp"'],
      [{ user_id: 'u-1', token: signIdentityToken({ sub: 'u-42', exp: inAnHour() }, secret) }, 'user_id does not match the token'],
    ];
    for (const [claim, error] of cases) {
      const visitor = await device(ws, claim);
      expect(visitor.answer, error).toMatchObject({ verified: false, error });
      const shown = await visitorOf(http, owner.token, visitor.welcome.conversation_id);
      expect(shown.identity?.verified ?? false).toBe(false);
      visitor.socket.close();
    }
    expect(verifyIdentityToken('not.a.jwt', secret)).toEqual({ ok: false, error: 'The token is not a JWT' });
  });

  it('follows a verified visitor to another device: the same conversation, a session of its own', async () => {
    const { http, ws, owner, secret } = await setup();
    const claim = { user_id: 'u-42', name: 'Ann', hash: identityHash('u-42', secret) };
    const laptop = await device(ws, claim);
    laptop.socket.send({ type: 'message', id: 'l1', text: 'My parcel for order 7781 is late' });
    await laptop.socket.nextOf('ack');
    await laptop.socket.next(is.messageWithRole('bot'));

    const phone = await device(ws, { token: signIdentityToken({ sub: 'u-42', exp: inAnHour() }, secret) });
    expect(phone.welcome.conversation_id).toBe(laptop.welcome.conversation_id);
    expect(phone.welcome.session).not.toBe(laptop.welcome.session);
    expect(phone.welcome.resumed).toBe(true);
    // The history follows the welcome (on PostgreSQL it may come after the identity frame too).
    const replayed = () => phone.socket.frames.filter((f): f is MessageFrame => f.type === 'message').map((f) => f.message);
    for (let i = 0; i < 100 && !replayed().some((m) => JSON.stringify(m.components).includes('order 7781')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(replayed().some((m) => JSON.stringify(m.components).includes('order 7781'))).toBe(true);

    // Both devices are live in the one conversation.
    phone.socket.send({ type: 'message', id: 'p1', text: 'Writing from my phone' });
    await laptop.socket.next((f) => f.type === 'message' && JSON.stringify(f).includes('Writing from my phone'));
    // The phone's session resumes later without the identity.
    phone.socket.close();
    const again = await device(ws, undefined, phone.welcome.session);
    expect(again.welcome.conversation_id).toBe(laptop.welcome.conversation_id);

    // A device that identifies after hello is moved over, with a new welcome and the history.
    const tablet = await device(ws);
    expect(tablet.welcome.conversation_id).not.toBe(laptop.welcome.conversation_id);
    tablet.socket.send({ type: 'identify', ...claim });
    const moved = await tablet.socket.nextOf<WelcomeFrame>('welcome');
    expect(moved.conversation_id).toBe(laptop.welcome.conversation_id);
    expect((await tablet.socket.nextOf<IdentityFrame>('identity')).verified).toBe(true);
    const afterMove = () => tablet.socket.frames.slice(tablet.socket.frames.indexOf(moved));
    const historyCame = () => afterMove().some((f) => f.type === 'message' && JSON.stringify(f).includes('order 7781'));
    for (let i = 0; i < 100 && !historyCame(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(historyCame()).toBe(true);

    // Over HTTP too: a session of the component chat API moves to the same conversation.
    const start = await call(http, 'GET', '/api/chatbot');
    const identified = await call(http, 'POST', '/api/identify', { body: { chatbot_session: start.body.chatbot_session, ...claim } });
    expect(identified.body).toMatchObject({ verified: true, switched: true, conversation_id: laptop.welcome.conversation_id });
    const history = await call(http, 'GET', `/api/chatbot/messages?chatbot_session=${identified.body.chatbot_session}`);
    expect(JSON.stringify(history.body.messages)).toContain('order 7781');

    // A site that numbers its users sends 42: the integer and the string "42" are one user.
    const numbered = await device(ws, { user_id: 42, hash: identityHash('42', secret) });
    expect(numbered.answer).toEqual({ type: 'identity', verified: true, user_id: '42' });
    const sameUser = await call(http, 'POST', '/api/identify', { body: { chatbot_session: (await call(http, 'GET', '/api/chatbot')).body.chatbot_session, user_id: '42', hash: identityHash('42', secret) } });
    expect(sameUser.body).toMatchObject({ verified: true, switched: true, conversation_id: numbered.welcome.conversation_id });

    // Agents see one verified visitor in that conversation.
    expect((await visitorOf(http, owner.token, laptop.welcome.conversation_id)).identity).toMatchObject({ user_id: 'u-42', verified: true });
  });

  it("never lets an unverified identity reach a verified visitor's conversation or relabel it", async () => {
    const { http, ws, owner, secret } = await setup();
    const real = await device(ws, { user_id: 'u-42', hash: identityHash('u-42', secret) });
    real.socket.send({ type: 'message', id: 'r1', text: 'My secret address is 12 Elm Street' });
    await real.socket.nextOf('ack');

    for (const claim of [
      { user_id: 'u-42', name: 'Impostor' },
      { user_id: 'u-42', hash: identityHash('u-42', 'is_guessed') },
      { token: signIdentityToken({ sub: 'u-42', exp: inAnHour() }, 'is_guessed') },
    ]) {
      const impostor = await device(ws, claim);
      expect(impostor.welcome.conversation_id).not.toBe(real.welcome.conversation_id);
      expect(impostor.answer?.verified).toBe(false);
      expect(JSON.stringify(impostor.socket.frames)).not.toContain('Elm Street');
      impostor.socket.send({ type: 'identify', ...claim });
      expect((await impostor.socket.nextOf<IdentityFrame>('identity')).verified).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(impostor.socket.frames.filter((f) => f.type === 'welcome')).toHaveLength(1);
      const http1 = await call(http, 'GET', '/api/chatbot');
      const viaHttp = await call(http, 'POST', '/api/identify', { body: { chatbot_session: http1.body.chatbot_session, ...claim } });
      expect(viaHttp.body).toMatchObject({ verified: false, switched: false });
      expect(viaHttp.body.conversation_id).not.toBe(real.welcome.conversation_id);
      const shown = await visitorOf(http, owner.token, impostor.welcome.conversation_id);
      expect(shown.identity ?? { verified: false }).toMatchObject({ verified: false });
    }

    // Even with the real visitor's session, an unverified identify does not relabel them.
    real.socket.send({ type: 'identify', user_id: 'u-99', name: 'Someone else' });
    await real.socket.nextOf('identity');
    expect((await visitorOf(http, owner.token, real.welcome.conversation_id)).identity).toMatchObject({ user_id: 'u-42', verified: true });

    // Another verified user on the same browser never lands in u-42's conversation.
    const next = await device(ws, { user_id: 'u-7', hash: identityHash('u-7', secret) }, real.welcome.session);
    expect(next.welcome.conversation_id).not.toBe(real.welcome.conversation_id);
    expect(JSON.stringify(next.socket.frames)).not.toContain('Elm Street');
  });

  it('keeps an anonymous conversation the visitor already started when they log in', async () => {
    const { http, ws, owner, secret } = await setup();
    const before = await device(ws, { user_id: 'u-5', hash: identityHash('u-5', secret) });
    before.socket.close();
    const anonymous = await device(ws);
    anonymous.socket.send({ type: 'message', id: 'a1', text: 'Hi, question about sizes' });
    await anonymous.socket.nextOf('ack');
    anonymous.socket.send({ type: 'identify', user_id: 'u-5', hash: identityHash('u-5', secret) });
    expect((await anonymous.socket.nextOf<IdentityFrame>('identity')).verified).toBe(true);
    expect(anonymous.socket.frames.filter((f) => f.type === 'welcome')).toHaveLength(1);
    expect((await visitorOf(http, owner.token, anonymous.welcome.conversation_id)).identity).toMatchObject({ user_id: 'u-5', verified: true });
  });

  it('refuses unverified identities when the company requires verification, per company', async () => {
    const { app, http, ws, owner, secret } = await setup();
    await call(http, 'PATCH', '/api/identity', { token: owner.token, body: { enforce: true } });
    const visitor = await device(ws, { user_id: 'u-1', name: 'Nobody' });
    expect(visitor.answer).toEqual({ type: 'identity', verified: false, error: 'This site only accepts verified identities' });
    expect((await visitorOf(http, owner.token, visitor.welcome.conversation_id)).identity).toBeUndefined();
    expect((await device(ws, { user_id: 'u-1', hash: identityHash('u-1', secret) })).answer?.verified).toBe(true);

    // Company B's secret is its own: A's hash means nothing there.
    const b = await addCompany(app, http, 'Bravo');
    await call(http, 'GET', '/api/identity', { token: b.token });
    const onB = await device(`${ws}?site=${b.company.siteKey}`, { user_id: 'u-1', hash: identityHash('u-1', secret) });
    expect(onB.answer).toMatchObject({ verified: false, error: 'The identity hash does not match' });
  });
});
