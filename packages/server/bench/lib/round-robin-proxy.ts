import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy that hands each new connection to the next of several backends in turn:
 * what a plain load balancer does in front of several Parley nodes. Each connection stays on the
 * node it was given (a WebSocket, or an HTTP keep-alive connection with all its requests), and is
 * cut when that node goes away, as a balancer cuts it.
 *
 * A backend that refuses the connection (a node killed and not listening again yet) is skipped:
 * the connection is tried on the next backend, each at most once, and closed only when none
 * answers. That is the passive health check of a plain balancer (nginx's `proxy_next_upstream
 * error`): nothing reaches the client before a backend has accepted, so the retry is invisible.
 */
export class RoundRobinProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private next = 0;
  port = 0;

  /** How many connections went to each backend, in order. */
  readonly counts: number[] = [];
  /** How many times a backend refused a connection that then went to another one (or to none). */
  skipped = 0;
  /** Connections closed because no backend accepted them. */
  refused = 0;
  /** Open connections: the client's port -> the backend's index (to tell which node a client is on). */
  private readonly routes = new Map<number, number>();

  constructor(private readonly backends: number[]) {
    this.server = createServer((client) => this.forward(client));
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    this.port = address.port;
    return this;
  }

  /** The index of the backend the client connected from `clientPort` is on, if it is connected. */
  backendOf(clientPort: number): number | undefined {
    return this.routes.get(clientPort);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private forward(client: Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    // Nothing is read from the client until a backend accepts: a refused attempt loses no bytes.
    client.pause();
    this.connect(client, this.next++ % this.backends.length, this.backends.length);
  }

  private connect(client: Socket, index: number, triesLeft: number): void {
    if (client.destroyed) return;
    const upstream = createConnection({ host: '127.0.0.1', port: this.backends[index]! });
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      this.counts[index] = (this.counts[index] ?? 0) + 1;
      const clientPort = client.remotePort;
      if (clientPort !== undefined) {
        this.routes.set(clientPort, index);
        client.once('close', () => this.routes.get(clientPort) === index && this.routes.delete(clientPort));
      }
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      client.on('error', () => upstream.destroy());
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
    upstream.on('error', () => {
      upstream.destroy();
      if (connected) return client.destroy();
      this.skipped++;
      if (triesLeft > 1) return this.connect(client, (index + 1) % this.backends.length, triesLeft - 1);
      this.refused++;
      client.destroy();
    });
  }
}
