import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake provider does for one request. */
export interface Script {
  /** Answer with this HTTP status and an OpenAI-style error body instead of a completion. */
  status?: number;
  /** The error body's message (a default per status otherwise). */
  errorMessage?: string;
  /** Text pieces streamed one chunk each (or joined for a non-streaming request). */
  chunks?: string[];
  /** Call this tool (function) with these JSON arguments. */
  toolCall?: { name: string; arguments: string };
  /** Wait this long before the first byte. */
  delayMs?: number;
  /** Wait this long between chunks. */
  chunkDelayMs?: number;
  /** Send a broken event in the middle of the stream. */
  malformed?: boolean;
  /** Close the connection in the middle of the stream. */
  hangUp?: boolean;
}

/** A request the fake provider received, parsed. */
export interface ReceivedRequest {
  path: string;
  authorization: string | undefined;
  body: {
    model: string;
    stream?: boolean;
    messages: Array<{ role: string; content: string | null }>;
    tools?: Array<{ function: { name: string } }>;
    temperature?: number;
    max_tokens?: number;
  };
}

/**
 * A local OpenAI-compatible chat-completions server for tests: the real `openai` client talks to
 * it over HTTP on loopback. Each request is answered by `script(request)`.
 */
export async function startFakeOpenAI(script: (request: ReceivedRequest) => Script = () => ({ chunks: ['Hello', ' there!'] })) {
  const received: ReceivedRequest[] = [];
  let current = script;
  const server = createServer((req, res) => {
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    if (req.url !== '/v1/chat/completions' || req.method !== 'POST') {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found' } }));
      return;
    }
    const request: ReceivedRequest = { path: req.url, authorization: req.headers.authorization, body: JSON.parse(raw) };
    received.push(request);
    const plan = current(request);
    if (plan.delayMs) await sleep(plan.delayMs);
    if (res.destroyed) return;
    if (plan.status && plan.status >= 400) {
      const message = plan.errorMessage ?? (plan.status === 429 ? 'Rate limit reached for requests' : plan.status === 401 ? 'Incorrect API key provided' : 'The server had an error');
      res.writeHead(plan.status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message, type: 'error', code: null } }));
      return;
    }
    const id = `chatcmpl-${received.length}`;
    const created = Math.floor(Date.now() / 1000);
    const chunks = plan.chunks ?? [];
    if (!request.body.stream) {
      const message = plan.toolCall
        ? { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: plan.toolCall }] }
        : { role: 'assistant', content: chunks.join('') };
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id,
          object: 'chat.completion',
          created,
          model: request.body.model,
          choices: [{ index: 0, message, finish_reason: plan.toolCall ? 'tool_calls' : 'stop' }],
        }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (delta: object, finish: string | null = null) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: request.body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
    send({ role: 'assistant', content: '' });
    for (const [i, piece] of chunks.entries()) {
      if (plan.chunkDelayMs) await sleep(plan.chunkDelayMs);
      if (res.destroyed) return;
      send({ content: piece });
      if (plan.malformed && i === 0) res.write('data: {"id": broken json\n\n');
      if (plan.hangUp && i === 0) {
        res.socket?.destroy();
        return;
      }
    }
    if (plan.toolCall) {
      send({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: plan.toolCall.name, arguments: '' } }] });
      send({ tool_calls: [{ index: 0, function: { arguments: plan.toolCall.arguments } }] });
      send({}, 'tool_calls');
    } else {
      send({}, 'stop');
    }
    res.end('data: [DONE]\n\n');
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    received,
    /** Changes how later requests are answered. */
    setScript(next: (request: ReceivedRequest) => Script) {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
