import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy that hands each new connection to the next of several backends in turn:
 * what a plain load balancer does in front of several Parley nodes. Each connection stays on the
 * node it was given (a WebSocket, or an HTTP keep-alive connection with all its requests).
 */
export class RoundRobinProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private next = 0;
  port = 0;

  constructor(private readonly backends: number[]) {
    this.server = createServer((client) => this.forward(client));
  }

  /** How many connections went to each backend, in order. */
  readonly counts: number[] = [];

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    this.port = address.port;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: Socket): void {
    const index = this.next++ % this.backends.length;
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    const upstream = createConnection({ host: '127.0.0.1', port: this.backends[index]! });
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
