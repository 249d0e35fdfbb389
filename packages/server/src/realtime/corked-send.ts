import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

const corked = new Set<Socket>();
let scheduled = false;

function uncorkAll(): void {
  scheduled = false;
  for (const raw of corked) raw.uncork();
  corked.clear();
}

/**
 * Sends a text frame, coalescing every frame sent to the same socket in this tick (an `ack`, the
 * reply it caused, the copies for other tabs) into one write system call. The socket is corked at
 * the first frame and uncorked once the current tick's callbacks and promises have run, so a
 * group commit that resolves hundreds of turns costs one write per socket, not two or three.
 */
export function sendCorked(socket: WebSocket, data: string): void {
  const raw = (socket as unknown as { _socket?: Socket })._socket;
  if (raw && !corked.has(raw)) {
    raw.cork();
    corked.add(raw);
    if (!scheduled) {
      scheduled = true;
      process.nextTick(uncorkAll);
    }
  }
  socket.send(data);
}
