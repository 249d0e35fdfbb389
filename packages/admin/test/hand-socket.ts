import type { AgentServerFrame } from '@parley/protocol';
import type { SocketLike } from '../src/api/agent-socket.js';

/** A socket the test drives by hand: it plays the server of `/ws/agent`. */
export class HandSocket implements SocketLike {
  /** Every socket made since the last {@link HandSocket.reset}, oldest first. */
  static made: HandSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  closedWith: number | undefined;
  onopen: ((event: unknown) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    HandSocket.made.push(this);
  }

  /** Forgets the sockets made so far. */
  static reset(): void {
    HandSocket.made = [];
  }

  /** The socket made last. */
  static get last(): HandSocket {
    const socket = HandSocket.made.at(-1);
    if (!socket) throw new Error('no socket was made');
    return socket;
  }

  send(data: string): void {
    this.sent.push(data);
  }
  close(code = 1000): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  /** The server accepts and says `ready`. */
  accept(): void {
    this.readyState = 1;
    this.onopen?.({});
    this.frame({ type: 'ready', user: {}, online_agents: [] } as unknown as AgentServerFrame);
  }
  /** The server sends a frame. */
  frame(frame: AgentServerFrame): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  /** The server (or the network) closes the connection. */
  drop(code: number): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}
