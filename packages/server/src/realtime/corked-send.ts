import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

const corked = new Set<Socket>();
let scheduled = false;
/** The last frame serialized in this tick: a broadcast sends the same object to every socket. */
let lastFrame: object | undefined;
let lastData = '';

function uncorkAll(): void {
  scheduled = false;
  lastFrame = undefined;
  lastData = '';
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

/**
 * Sends a frame object as JSON, corked like `sendCorked`. A frame broadcast to many sockets (one
 * visitor message to every agent of the company) is serialized once, not once per socket: the
 * frame must not be changed between the sends of one tick.
 */
export function sendFrameCorked(socket: WebSocket, frame: object): void {
  if (frame !== lastFrame) {
    lastData = JSON.stringify(frame);
    lastFrame = frame;
    if (!scheduled) {
      scheduled = true;
      process.nextTick(uncorkAll);
    }
  }
  sendCorked(socket, lastData);
}
