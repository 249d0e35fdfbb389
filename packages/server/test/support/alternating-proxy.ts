import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A loopback HTTP proxy that sends each request, and each WebSocket upgrade, to the next of
 * several nodes in turn: a load balancer without stickiness, at its most unkind. A test client
 * that signs in, polls and opens sockets through it lands on a different node at every step, so
 * every test run through it checks that the nodes agree.
 */
export class AlternatingProxy {
  private readonly server: Server;
  private readonly agents: Agent[];
  private readonly sockets = new Set<Duplex>();
  private next = 0;
  port = 0;

  /** How many requests and upgrades went to each node, in order. */
  readonly counts: number[];

  constructor(private readonly ports: number[]) {
    this.agents = ports.map(() => new Agent({ keepAlive: true }));
    this.counts = ports.map(() => 0);
    this.server = createServer((req, res) => {
      const index = this.pick();
      const upstream = request(
        { host: '127.0.0.1', port: this.ports[index], method: req.method, path: req.url, headers: req.headers, agent: this.agents[index] },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.rawHeaders);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
      req.pipe(upstream);
    });
    this.server.on('connection', (socket) => this.track(socket));
    this.server.on('upgrade', (req: IncomingMessage, client: Duplex, head: Buffer) => this.upgrade(req, client, head));
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('no address');
    this.port = address.port;
    return this;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    for (const agent of this.agents) agent.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private pick(): number {
    const index = this.next++ % this.ports.length;
    this.counts[index]! += 1;
    return index;
  }

  private track(socket: Duplex): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Replays the upgrade request to the next node and joins the two sockets. */
  private upgrade(req: IncomingMessage, client: Duplex, head: Buffer): void {
    const upstream: Socket = connect({ host: '127.0.0.1', port: this.ports[this.pick()]! });
    this.track(upstream);
    const fail = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', fail);
    upstream.on('error', fail);
    upstream.on('connect', () => {
      let lines = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      upstream.write(`${lines}\r\n`);
      if (head.length) upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
  }
}
