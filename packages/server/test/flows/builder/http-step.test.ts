import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { call, login, openVisitor, OWNER, startAgentServer } from '../../agent-helper.js';
import { onCleanup } from '../../helper.js';

/** A shop's order API on loopback: what a real bot would call. */
async function startShopApi() {
  const seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.headers.authorization !== 'Bearer shop-token-42') return res.writeHead(401).end('{}');
      if (req.url === '/orders/slow') return setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 1500);
      if (req.url === '/orders/A%2F7') {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(
          JSON.stringify({
            order: { status: 'shipped', customer: { name: 'Ada' } },
            lines: [
              { title: 'Ceramic Mug', unit_price: '12.50', qty: 2, picture: 'https://cdn.shop.test/mug.png' },
              { title: 'Desk Lamp', unit_price: 39.99, qty: 1 },
              { title: '', unit_price: 1 },
            ],
          }),
        );
      }
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no such order"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onCleanup(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

function orderBot(api: string) {
  return {
    id: 'orders',
    name: 'Order status',
    version: 1,
    start: 'ask',
    currency: 'EUR',
    steps: {
      ask: { type: 'input', kind: 'text', text: 'Your order number?', var: 'order', next: 'fetch' },
      fetch: {
        type: 'http',
        method: 'POST',
        url: `${api}/orders/{{order}}`,
        headers: { Authorization: 'Bearer shop-token-42', 'X-Visitor': '{{order}}' },
        secret_headers: ['Authorization'],
        body: '{"order": "{{order}}", "source": "parley"}',
        timeout_ms: 500,
        map: { status: 'order.status', customer: 'order.customer.name' },
        products: { list: 'lines', name: 'title', price: 'unit_price', quantity: 'qty', image: 'picture', var: 'lines' },
        next: 'status',
        on_error: 'sorry',
      },
      status: { type: 'say', text: 'Order {{order}} for {{customer}} is <b>{{status}}</b>.', next: 'pick' },
      pick: { type: 'products', text: 'Which item is this about?', var: 'item', from: 'lines', next: 'card' },
      card: { type: 'product_card', var: 'item', next: 'bye' },
      sorry: { type: 'say', text: 'Sorry, I could not look that up ({{http_error}}).', next: 'ask' },
      bye: { type: 'end', text: 'Thanks!' },
    },
  };
}

type Frame = { type: string; [key: string]: unknown };
type Components = Array<{ type: string; payload: Record<string, unknown> }>;
const componentsOf = (f: Frame) => ((f as { message?: { components: Components } }).message?.components ?? []) as Components;
const botSays = (needle: string) => (f: Frame) => f.type === 'message' && componentsOf(f).some((c) => String(c.payload.text ?? '').includes(needle));

describe('the http step', () => {
  it('calls the shop with the sealed secret, maps the answer into variables and a product list, and branches on errors', async () => {
    const api = await startShopApi();
    const { http, ws } = await startAgentServer({ webhooks: { allowPrivate: true } });
    const admin = await login(http, OWNER.email, OWNER.password);
    expect((await call(http, 'PUT', '/api/company/flow', { token: admin.token, body: orderBot(api.url) })).status).toBe(200);

    const visitor = await openVisitor(ws);
    await visitor.socket.next(botSays('Your order number?'));
    visitor.socket.send({ type: 'message', id: 'm1', text: 'A/7' });
    const status = await visitor.socket.next(botSays('is <b>shipped</b>'));
    expect(componentsOf(status).map((c) => c.type)).toEqual(['text', 'text', 'product_carousel']);
    expect(componentsOf(status)[0]!.payload.text).toBe('Order A/7 for Ada is <b>shipped</b>.');
    expect(componentsOf(status)[2]!.payload.products).toEqual([
      { index: 1, name: 'Ceramic Mug', price: 12.5, quantity: 2, image: 'https://cdn.shop.test/mug.png', currency: 'EUR' },
      { index: 2, name: 'Desk Lamp', price: 39.99, quantity: 1, currency: 'EUR' },
    ]);
    const request = api.seen.at(-1)!;
    expect(request).toMatchObject({ method: 'POST', url: '/orders/A%2F7', body: '{"order": "A/7", "source": "parley"}' });
    expect(request.headers).toMatchObject({ authorization: 'Bearer shop-token-42', 'x-visitor': 'A/7', 'content-type': 'application/json' });

    visitor.socket.send({ type: 'action', id: 'm2', value: '1' });
    const card = await visitor.socket.next((f) => f.type === 'message' && componentsOf(f).some((c) => c.type === 'selected_product_card'));
    expect(componentsOf(card).find((c) => c.type === 'selected_product_card')!.payload.product).toEqual({
      name: 'Ceramic Mug',
      quantity: 2,
      price: 12.5,
      total_price: 25,
      currency: 'EUR',
    });

    // An unknown order (404) and a slow answer (past the 500 ms timeout) take the error branch.
    const second = await openVisitor(ws);
    await second.socket.next(botSays('Your order number?'));
    second.socket.send({ type: 'message', id: 'm1', text: 'nope' });
    await second.socket.next(botSays('Sorry, I could not look that up (Answered 404).'));
    second.socket.send({ type: 'message', id: 'm2', text: 'slow' });
    await second.socket.next(botSays('Sorry, I could not look that up (No answer within 500 ms).'));
  });

  it('refuses loopback and private addresses unless the webhooks guard is relaxed', async () => {
    const api = await startShopApi();
    const { http, ws } = await startAgentServer();
    const admin = await login(http, OWNER.email, OWNER.password);
    expect((await call(http, 'PUT', '/api/company/flow', { token: admin.token, body: orderBot(api.url) })).status).toBe(200);
    const visitor = await openVisitor(ws);
    await visitor.socket.next(botSays('Your order number?'));
    visitor.socket.send({ type: 'message', id: 'm1', text: 'A/7' });
    await visitor.socket.next(botSays('Refused: 127.0.0.1 is a private or loopback address'));
    expect(api.seen).toHaveLength(0);
  });
});
