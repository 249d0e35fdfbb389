import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { postWebhook } from '../../src/webhooks/webhook-post.js';

describe('posting a webhook', () => {
  let receiver: Server | undefined;
  afterEach(async () => {
    receiver?.closeAllConnections();
    await new Promise((resolve) => receiver?.close(resolve) ?? resolve(undefined));
  });

  // A delivery that starts while the server shuts down gives up at once: the request it destroys
  // must not throw from nowhere (an uncaught 'error' would crash the shutdown).
  it('gives up quietly when the server is already shutting down', async () => {
    receiver = createServer(() => undefined);
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as { port: number };
    const uncaught: unknown[] = [];
    const listener = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', listener);
    try {
      const result = await postWebhook(`http://127.0.0.1:${port}/hook`, '{}', {}, { timeoutMs: 5000, allowPrivate: true, signal: AbortSignal.abort() });
      expect(result.error).toBe('The server is shutting down');
      // The destroyed request reports its end on a later tick.
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', listener);
    }
  });

  it('reports a receiver that does not answer in time', async () => {
    receiver = createServer(() => undefined);
    await new Promise<void>((resolve) => receiver!.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as { port: number };
    const result = await postWebhook(`http://127.0.0.1:${port}/hook`, '{}', {}, { timeoutMs: 200, allowPrivate: true });
    expect(result.error).toBe('No answer within 200 ms');
    expect(result.statusCode).toBeUndefined();
  });
});
