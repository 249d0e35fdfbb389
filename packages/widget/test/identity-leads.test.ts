// @vitest-environment node
// The headless client against a real server in this process: identity reaches the server (hash or
// token, WebSocket or HTTP), verified visitors find their conversation on another device, and
// forms and leads round-trip.
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseFlow } from '../../server/src/flows/load.js';
import { ParleyClient, type IdentityResult, type LeadInfo, type ParleyClientOptions } from '../src/client/index.js';
import { TestServer, until } from './server.js';
import { testClient } from './clients.js';

const server = new TestServer();
const clients: ParleyClient[] = [];
let secret = '';

beforeAll(async () => {
  await server.start();
  secret = (await server.app!.identity.view(server.app!.companies.defaultCompany().id)).secret;
});
afterAll(async () => {
  await server.dispose();
});
afterEach(() => {
  while (clients.length) clients.pop()!.disconnect();
});

function client(options: Partial<ParleyClientOptions> = {}): ParleyClient {
  return testClient(server.url, clients, { pollMs: 100, ...options });
}

const hash = (id: string, key = secret) => createHmac('sha256', key).update(id).digest('hex');
const token = (claims: Record<string, unknown>, key = secret) => {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', key).update(unsigned).digest('base64url')}`;
};
const identities = (c: ParleyClient) => {
  const seen: IdentityResult[] = [];
  c.on('identify', (result) => seen.push(result));
  return seen;
};
const identityOf = async (conversationId: string) =>
  (await server.app!.inbox.get(server.app!.companies.defaultCompany().id, conversationId)).visitor.identity;
const conversationOf = async (session: string) => (await server.app!.conversations.bySessionToken(session))!.id;

describe('identify reaches the server', () => {
  it('with a hash, in hello before the first connection: the agents see a verified visitor', async () => {
    const c = client();
    const seen = identities(c);
    c.identify({ id: 'cust-1', name: 'Ann Lee', email: 'ann@shop.test', hash: hash('cust-1') });
    c.connect();
    await until(() => seen.length === 1, 'the identity answer');
    expect(seen[0]).toMatchObject({ id: 'cust-1', verified: true });
    expect(c.verified).toBe(true);
    expect(await identityOf(await conversationOf(c.session!))).toMatchObject({ user_id: 'cust-1', name: 'Ann Lee', verified: true });
  });

  it('with a whole-number id, as sites that number their users pass it: the same user as its digits', async () => {
    const c = client();
    const seen = identities(c);
    c.identify({ id: 42, hash: hash('42') });
    c.connect();
    await until(() => seen.length === 1, 'the identity answer');
    expect(seen[0]).toMatchObject({ verified: true });
    expect(await identityOf(await conversationOf(c.session!))).toMatchObject({ user_id: '42', verified: true });
  });

  it('with a token after connecting, and reports a wrong hash as unverified', async () => {
    const c = client();
    const seen = identities(c);
    c.connect();
    await until(() => c.messages.length === 1, 'greeting');
    c.identify({ token: token({ sub: 'cust-2', name: 'Bo', exp: Math.floor(Date.now() / 1000) + 300 }) });
    await until(() => seen.length === 1, 'the identity answer');
    expect(seen[0]!.verified).toBe(true);
    expect(await identityOf(await conversationOf(c.session!))).toMatchObject({ user_id: 'cust-2', name: 'Bo', verified: true });

    const wrong = client();
    const refused = identities(wrong);
    wrong.identify({ id: 'cust-2', hash: hash('cust-2', 'is_not-the-secret') });
    wrong.connect();
    await until(() => refused.length === 1, 'the identity answer');
    expect(refused[0]).toMatchObject({ verified: false, error: 'The identity hash does not match' });
    expect(await conversationOf(wrong.session!)).not.toBe(await conversationOf(c.session!));
  });

  it('follows a verified visitor to another device, over WebSocket and over HTTP', async () => {
    const laptop = client();
    laptop.identify({ id: 'cust-3', hash: hash('cust-3') });
    laptop.connect();
    await until(() => laptop.verified, 'verified');
    laptop.sendMessage('Where is parcel 4411?');
    await until(() => laptop.messages.some((m) => m.role === 'bot' && m.seq > 2), 'reply');

    const phone = client();
    phone.connect();
    await until(() => phone.messages.length === 1, 'a greeting of its own');
    const before = phone.session;
    phone.identify({ id: 'cust-3', hash: hash('cust-3') });
    await until(() => phone.messages.some((m) => JSON.stringify(m.components).includes('parcel 4411')), 'the laptop conversation');
    expect(phone.session).not.toBe(before);
    expect(phone.session).not.toBe(laptop.session);
    expect(await conversationOf(phone.session!)).toBe(await conversationOf(laptop.session!));
    phone.sendMessage('Sent from my phone');
    await until(() => laptop.messages.some((m) => JSON.stringify(m.components).includes('Sent from my phone')), 'the phone message on the laptop');

    const kiosk = client({ transport: 'http' });
    kiosk.identify({ id: 'cust-3', hash: hash('cust-3') });
    kiosk.connect();
    await until(() => kiosk.messages.some((m) => JSON.stringify(m.components).includes('Sent from my phone')), 'the conversation over HTTP');
    expect(kiosk.verified).toBe(true);
  });
});

describe('forms and leads', () => {
  it('sends a form, gets it back with the wrong field named, then gets the lead event (WebSocket and HTTP)', async () => {
    const app = server.app!;
    await app.flows.activate(
      app.companies.defaultCompany().id,
      parseFlow({
        id: 'demo-form',
        name: 'Form',
        version: 1,
        start: 'ask',
        steps: {
          ask: {
            type: 'form',
            fields: [
              { name: 'name', label: 'Name', kind: 'text', required: true },
              { name: 'email', label: 'Email', kind: 'email', required: true },
            ],
            lead: true,
            next: 'done',
          },
          done: { type: 'end', text: 'Thanks!' },
        },
      }),
    );
    for (const transport of ['websocket', 'http'] as const) {
      const c = client({ transport });
      const leads: LeadInfo[] = [];
      c.on('lead', (lead) => leads.push(lead));
      c.connect();
      await until(() => c.messages.some((m) => m.components.some((x) => x.type === 'form')), `the form (${transport})`);
      c.sendForm('ask', { name: 'Cy', email: 'cy@' }, [{ type: 'text', payload: { text: 'Cy' } }]);
      await until(() => c.messages.some((m) => m.components.some((x) => x.type === 'error')), `the error (${transport})`);
      const retry = c.messages[c.messages.length - 1]!;
      expect(retry.components[0]).toEqual({ type: 'error', payload: { text: 'Email: Please enter a valid email address, like name@example.com.' } });
      c.sendForm('ask', { name: 'Cy', email: 'cy@shop.test' }, [{ type: 'text', payload: { text: 'Cy' } }]);
      await until(() => leads.length === 1, `the lead event (${transport})`);
      expect(leads[0]).toMatchObject({ email: 'cy@shop.test', data: { name: 'Cy', email: 'cy@shop.test' } });
      expect((await app.leads.get(app.companies.defaultCompany().id, leads[0]!.id))?.source).toBe('form');
    }
  });
});
