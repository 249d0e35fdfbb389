import WebSocket from 'ws';
import { ParleyClient, type ParleyClientOptions, type WebSocketConstructor } from '../src/client/index.js';
import { MemoryStorage } from '../../server/test/support/memory-storage.js';

/**
 * A client for tests under Node: `ws` as its WebSocket, storage in memory, quick reconnects.
 * `made` collects it, so the test file can disconnect every client after each test.
 */
export function testClient(server: string, made: ParleyClient[], options: Partial<ParleyClientOptions> = {}): ParleyClient {
  const client = new ParleyClient({
    server,
    WebSocket: WebSocket as unknown as WebSocketConstructor,
    storage: new MemoryStorage(),
    minDelayMs: 50,
    maxDelayMs: 400,
    ...options,
  });
  made.push(client);
  return client;
}
