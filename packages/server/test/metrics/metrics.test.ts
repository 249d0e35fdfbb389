import { describe, expect, it } from 'vitest';
import { is, login, openAgent, openVisitor, OWNER, startAgentServer, call } from '../agent-helper.js';
import { onCleanup, testNodes } from '../helper.js';
import { startFakeOpenAI } from '../support/fake-openai.js';
import { until } from '../support/until.js';

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample (`name{labels} value`) of a Prometheus text exposition, or undefined. */
function sample(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

async function scrape(http: string, token = TOKEN): Promise<string> {
  const res = await fetch(`${http}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/plain');
  return res.text();
}

describe('Prometheus metrics', () => {
  // Each node counts its own traffic (Prometheus scrapes every node): one node's test.
  it.skipIf(testNodes > 1)('counts real traffic: sockets, turns, messages, batches, AI calls, webhook failures, HTTP by route', async () => {
    const fake = await startFakeOpenAI(() => ({ chunks: ['We are open ', '9 to 5.'] }));
    onCleanup(fake.close);
    const { http, ws, agentWs } = await startAgentServer({
      metrics: { enabled: true, token: TOKEN },
      webhooks: { allowPrivate: true, retryBaseMs: 30, retryMaxMs: 60, maxAttempts: 2, timeoutMs: 1000 },
    });
    const owner = await login(http, OWNER.email, OWNER.password);
    expect((await call(http, 'PUT', '/api/ai/config', { token: owner.token, body: { enabled: true, base_url: fake.baseUrl, api_key: 'sk-1', model: 'm', timeout_ms: 2000 } })).status).toBe(200);
    // Nothing listens on port 9 of loopback: every delivery fails, then is given up.
    expect((await call(http, 'POST', '/api/webhooks', { token: owner.token, body: { url: 'http://127.0.0.1:9/hook', events: ['message.created'] } })).status).toBe(201);

    const { socket: agent } = await openAgent(agentWs, owner.token);
    const { socket: visitor } = await openVisitor(ws);
    await visitor.next(is.messageWithRole('bot'));
    visitor.send({ type: 'message', id: 'q1', text: 'What are your opening hours?' });
    await visitor.next((f) => f.type === 'message' && (f as { message: { role: string; text?: string } }).message.role === 'bot');
    const start = (await (await fetch(`${http}/api/chatbot`)).json()) as { chatbot_session: string };
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${http}/api/chatbot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chatbot_session: start.chatbot_session, message: 'yes' }) });
      expect(res.status).toBe(200);
    }

    expect((await fetch(`${http}/metrics`)).status).toBe(401);
    expect((await fetch(`${http}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const text = await until(async () => {
      const body = await scrape(http);
      return (sample(body, 'parley_webhook_attempts_total', 'outcome="gave_up"') ?? 0) >= 1 ? body : undefined;
    }, 'a webhook delivery given up');

    expect(sample(text, 'parley_sockets_open', 'side="visitor"')).toBe(1);
    expect(sample(text, 'parley_sockets_open', 'side="agent"')).toBe(1);
    expect(sample(text, 'parley_turns_total')).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'parley_messages_total', 'role="user"')).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'parley_messages_total', 'role="bot"')).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'parley_db_batch_writes_count')).toBeGreaterThan(0);
    expect(sample(text, 'parley_db_batch_seconds_count')).toBe(sample(text, 'parley_db_batch_writes_count'));
    expect(sample(text, 'parley_sqlite_wal_bytes')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'parley_webhook_queue_depth')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'parley_webhook_attempts_total', 'outcome="failed"')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'parley_ai_calls_total', 'outcome="ok"')).toBe(1);
    expect(sample(text, 'parley_ai_call_seconds_count')).toBe(1);
    expect(sample(text, 'parley_http_requests_total', 'method="POST",route="/api/chatbot",status="200"')).toBe(3);
    expect(sample(text, 'parley_http_requests_total', 'method="GET",route="/metrics",status="401"')).toBe(2);
    expect(sample(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);

    visitor.socket.close();
    agent.socket.close();
    await until(async () => sample(await scrape(http), 'parley_sockets_open', 'side="visitor"') === 0, 'the visitor socket counted as closed');
  });

  it('serves metrics only on their own port with PARLEY_METRICS_PORT', async () => {
    const { app, http } = await startAgentServer({ metrics: { enabled: true, port: 0 } });
    expect((await fetch(`${http}/metrics`)).status).toBe(404);
    const port = app.metrics?.port;
    expect(port).toBeGreaterThan(0);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('parley_http_requests_total');
    expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
  });

  it('is off unless asked for', async () => {
    const { app, http } = await startAgentServer();
    expect(app.metrics).toBeUndefined();
    expect((await fetch(`${http}/metrics`)).status).toBe(404);
  });
});
