import fp from 'fastify-plugin';
import websocket from '@fastify/websocket';
import { CloseCode, Limits } from '@parley/protocol';

/**
 * `@fastify/websocket` with Parley's hardening: frames at most 64 KiB (bigger ones close the
 * socket with 1009) and compression off (no zip bombs, less CPU and memory per connection).
 * On shutdown every socket is closed with 1001, which tells clients to reconnect and resume.
 */
export default fp(
  async (app) => {
    await app.register(websocket, {
      options: { maxPayload: Limits.maxFrameBytes, perMessageDeflate: false, clientTracking: true },
      preClose(done) {
        const server = app.websocketServer;
        for (const client of server.clients) client.close(CloseCode.goingAway, 'Server shutting down');
        server.close(() => done());
      },
    });
  },
  { name: 'websocket' },
);
