import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { encodeTextFrames, writeEncodedFrames } from '../../src/realtime/shared-frames.js';

let server: WebSocketServer | undefined;

afterEach(async () => {
  const running = server;
  server = undefined;
  if (!running) return;
  for (const client of running.clients) client.terminate();
  await new Promise((resolve) => running.close(resolve));
});

/** A server that sends, on connection, what `send` does; the client's received texts, in order. */
async function receive(count: number, send: (socket: WebSocket) => void): Promise<string[]> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  server.on('connection', send);
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const client = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
  const texts: string[] = [];
  await new Promise<void>((resolve, reject) => {
    client.on('message', (data, isBinary) => {
      if (isBinary) return reject(new Error('a binary frame'));
      texts.push(data.toString());
      if (texts.length === count) resolve();
    });
    client.on('error', reject);
    client.on('close', (code) => reject(new Error(`closed with ${code} after ${texts.length} frames`)));
  });
  client.terminate();
  return texts;
}

describe('frames encoded once for many sockets', () => {
  it('arrive as the same text frames, of every length class and in any script, in order among frames ws sends', async () => {
    const texts = [
      JSON.stringify({ type: 'message', text: 'short' }),
      JSON.stringify({ type: 'message', text: 'x'.repeat(125) }),
      JSON.stringify({ type: 'message', text: 'Grüße, 你好, 👋 '.repeat(20) }),
      JSON.stringify({ type: 'message', text: 'y'.repeat(70_000) }),
      '',
    ];
    const frames = encodeTextFrames(texts);
    const received = await receive(texts.length + 2, (socket) => {
      socket.send('{"type":"ready"}');
      writeEncodedFrames(socket, frames);
      socket.send('{"type":"ack"}');
    });
    expect(received).toEqual(['{"type":"ready"}', ...texts, '{"type":"ack"}']);
  });

  it('is one buffer that many sockets share', () => {
    const frames = encodeTextFrames(['{"a":1}', '{"b":2}']);
    expect([...frames]).toEqual([0x81, 7, ...Buffer.from('{"a":1}'), 0x81, 7, ...Buffer.from('{"b":2}')]);
  });
});
